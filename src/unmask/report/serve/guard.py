"""Who may talk to the UI, and what its pages may do once loaded.

* **Host** -- bound to loopback without a token, only requests addressed to ``127.0.0.1``, ``localhost`` or
  ``[::1]`` are answered, so a web page elsewhere cannot reach the UI through DNS rebinding.
* **Token** -- when the server has one, every request shows it: ``Authorization: Bearer``, the ``unmask_token``
  cookie, or once ``?token=`` in the address (which sets the cookie and redirects to the address without it).
* **Forms** -- every POST carries the server's CSRF token and, when the browser sends one, a same-origin
  ``Origin``; a page on another site cannot record a verdict.
* **Headers** -- a Content-Security-Policy allowing only the UI's own scripts, styles and images, no framing,
  no sniffing, and a referrer for the UI's own pages only (with none at all, browsers send ``Origin: null``
  on forms, which the origin check must refuse).  The report file keeps the stricter policy inlined in it.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
COOKIE = "unmask_token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

Next = Callable[[Request], Awaitable[Response]]


class Guard:
    """The checks above, as one HTTP middleware (``await guard(request, call_next)``)."""

    def __init__(self, token: str | None, remote: bool):
        if remote and not token:
            raise ValueError("a server reachable from other machines needs a token")
        self.token = token
        self.remote = remote
        self.csrf = secrets.token_urlsafe(32)

    async def __call__(self, request: Request, call_next: Next) -> Response:
        if not self.remote and _hostname(request.headers.get("host", "")) not in LOOPBACK_HOSTS:
            return _headers(PlainTextResponse("This server answers only requests addressed to 127.0.0.1.", 421))
        if self.token:
            supplied = request.query_params.get("token")
            if supplied is not None and secrets.compare_digest(supplied, self.token):
                return _headers(self._enter(request))
            if not self._authorised(request):
                return _headers(PlainTextResponse(
                    "This unmask server needs its token: open the address it printed when it started.", 401))
        if request.method == "POST" and not self._same_origin(request):
            return _headers(PlainTextResponse("Cross-origin form refused.", 403))
        response = await call_next(request)
        if "content-security-policy" not in response.headers:
            response.headers["Content-Security-Policy"] = CSP
        return _headers(response)

    def form_ok(self, fields: dict[str, str]) -> bool:
        """Whether a submitted form carries this server's CSRF token."""
        return secrets.compare_digest(fields.get("csrf", ""), self.csrf)

    def _authorised(self, request: Request) -> bool:
        assert self.token is not None
        bearer = request.headers.get("authorization", "")
        candidates = [request.cookies.get(COOKIE, "")]
        if bearer.startswith("Bearer "):
            candidates.append(bearer.removeprefix("Bearer "))
        return any(c and secrets.compare_digest(c, self.token) for c in candidates)

    def _enter(self, request: Request) -> Response:
        """Set the token cookie and redirect to the same address without ``?token=``."""
        rest = urlencode([(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k != "token"])
        response = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), status_code=303)
        response.set_cookie(COOKIE, self.token or "", httponly=True, samesite="strict", path="/")
        return response

    def _same_origin(self, request: Request) -> bool:
        origin = request.headers.get("origin")
        if origin is None or origin == "null":
            return origin is None
        return origin.rstrip("/") == f"{request.url.scheme}://{request.headers.get('host', '')}"


def _hostname(host: str) -> str:
    """The name of a Host header without its port (``[::1]:8765`` -> ``::1``)."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response
