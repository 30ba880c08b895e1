"""File exports shared by every stage (CSV that spreadsheets read safely)."""
