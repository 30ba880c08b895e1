"""``unmask serve``: a local web UI over one case (FastAPI on 127.0.0.1 by default)."""

from .app import create_app

__all__ = ["create_app"]
