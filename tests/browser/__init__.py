"""End-to-end tests in headless Chromium, and the case folders the report and UI tests share."""
