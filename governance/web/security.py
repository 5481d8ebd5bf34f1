"""CSRF tokens, rate limits and response headers shared by every page."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from governance.web.config import Limit

#: every page: nothing from elsewhere, no framing, forms post back here only
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
#: a letter page carries its own inline stylesheet
LETTER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class SecurityHeaders:
    """ASGI middleware adding :data:`HEADERS` and a Content-Security-Policy unless the page set its own."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for key, value in HEADERS.items():
                    if key.lower().encode() not in names:
                        headers.append((key.lower().encode(), value.encode()))
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use); every form carries it in a hidden ``csrf`` field."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, after its CSRF token matched the session's (otherwise 403)."""
    form = await request.form()
    sent = form.get("csrf")
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "The form has expired or did not come from this site. Reload the page and try again.")
    return form


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def hashed_key(value: str) -> str:
    """A rate-limit key for a personal value (kept in memory as a digest, never as the value)."""
    return hashlib.sha256(value.casefold().encode()).hexdigest()


class RateLimiter:
    """Sliding-window counters per (scope, key), in memory (one server process)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._events: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, scope: str, key: str, limit: Limit) -> bool:
        """Count one event; False when the limit was already reached (the event is not counted)."""
        now = self._clock()
        with self._lock:
            events = self._events.setdefault((scope, key), deque())
            while events and events[0] <= now - limit.seconds:
                events.popleft()
            if len(events) >= limit.count:
                return False
            events.append(now)
            return True
