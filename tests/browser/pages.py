"""Helpers the browser tests share: a watched page, and how to wait for, click and check the network map."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@dataclass
class Watched:
    """A page with what it logged and requested."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def network_requests(self) -> list[str]:
        """Requests other than ``data:`` URIs."""
        return [url for url in self.requests if not url.startswith("data:")]

    def screenshot(self, name: str, full_page: bool = False) -> Path:
        """Save a screenshot to tests/artifacts/NAME.png."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def wait_until(page: Any, expression: str, timeout: float = 60.0) -> None:
    """Poll ``expression`` in the page until it is truthy.

    Polled from the test side: the report's Content-Security-Policy forbids the ``eval`` that Playwright's own
    ``wait_for_function`` would run inside the page.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)


def wait_for_map(page: Any) -> None:
    """Wait until the network map script has drawn its graph."""
    wait_until(page, "window.unmaskNetwork !== undefined")


def click_node(page: Any, node: str) -> None:
    """Click the node ``node`` where sigma draws it, once the camera is still (zoomed out if it is off screen).

    Sigma finds the node under the mouse in a picking buffer drawn with each frame, so every camera move is
    followed by two animation frames before the click: one to draw the new view, one to be sure it was drawn.
    """
    wait_until(page, "!window.unmaskNetwork.renderer.getCamera().isAnimated()")
    _next_frames(page)
    page.locator("#network-map").scroll_into_view_if_needed()
    box = page.locator("#network-map").bounding_box()
    point = _node_point(page, node)
    if not (0 <= point["x"] <= box["width"] and 0 <= point["y"] <= box["height"]):
        page.evaluate("window.unmaskNetwork.renderer.getCamera().setState({x: 0.5, y: 0.5, ratio: 1, angle: 0})")
        _next_frames(page)
        point = _node_point(page, node)
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def _next_frames(page: Any) -> None:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def _node_point(page: Any, node: str) -> dict[str, float]:
    return page.evaluate(
        "(node) => { const map = window.unmaskNetwork;"
        " return map.renderer.graphToViewport(map.graph.getNodeAttributes(node)); }", node)


def assert_not_pwned(page: Any, title_start: str) -> None:
    """No injected payload ran: nothing set window.__pwned, nothing rewrote the title."""
    assert page.evaluate("window.__pwned") is None
    assert page.title().startswith(title_start), page.title()
