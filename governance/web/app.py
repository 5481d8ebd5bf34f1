"""The Starlette application: officer pages (login required) and the public ``/privacy-center``.

Pages are rendered server-side from ``templates/web/`` through the toolkit's sandboxed,
autoescaping Jinja2 environment; the only asset is ``/static/app.css`` (no script, nothing
from the internet). Sessions are signed cookies (HttpOnly, SameSite=Strict, Secure unless
turned off for plain-HTTP testing) holding the officer's name and the CSRF token only.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from functools import lru_cache
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from governance.dsr.ledger import Ledger
from governance.i18n import localizer
from governance.i18n.bidi import isolate_ltr_runs
from governance.inventory.loader import LoadedInventory, load_inventory
from governance.resources import bundled_dir
from governance.templating import environment
from governance.web import officer, privacy_center
from governance.web.config import WebConfig
from governance.web.security import RateLimiter, SecurityHeaders, csrf_token
from governance.web.store import WebStore

log = logging.getLogger("governance.web")
SESSION_HOURS = 8
MAX_BODY = 64 * 1024  # no form needs more


class State:
    """What every page reads: the configuration, inventory, ledger, privacy-center store and rate limits."""

    def __init__(self, config: WebConfig):
        self.config = config
        self.loaded: LoadedInventory = load_inventory(config.inventory)
        self.ledger = Ledger(config.ledger_location, now=config.now)
        self.store = WebStore(self.ledger)
        self.limits = RateLimiter()

    @staticmethod
    @lru_cache(maxsize=None)
    def env(lang: str = "en"):
        return environment(lang=lang)

    def page(self, request: Request, name: str, status: int = 200, lang: str = "en", **context) -> HTMLResponse:
        """Render ``templates/web/<name>`` with the session's officer and CSRF token."""
        html = self.env(lang).get_template(f"web/{name}").render(
            csrf=csrf_token(request), officer=request.session.get("officer"), path=request.url.path, **context)
        if localizer(lang).direction == "rtl":
            html = isolate_ltr_runs(html)
        return HTMLResponse(html, status_code=status)

    def close(self) -> None:
        self.ledger.close()


def _stylesheet(_request: Request) -> Response:
    return Response((bundled_dir("templates") / "web" / "app.css").read_bytes(), media_type="text/css",
                    headers={"Cache-Control": "max-age=3600"})


async def _error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if isinstance(exc, HTTPException) and exc.headers and "Location" in exc.headers:
        return Response(status_code=status, headers=exc.headers)
    if status == 500:
        log.error("unexpected error on %s: %s", request.url.path, exc.__class__.__name__)
    detail = exc.detail if isinstance(exc, HTTPException) else "Something went wrong; the error was logged."
    state: State = request.app.state.web
    return state.page(request, "error.html.j2", status=status, status_code=status, detail=detail,
                      lang=privacy_center.lang_of(request) if request.url.path.startswith("/privacy-center") else "en")


def create_app(config: WebConfig) -> Starlette:
    """The workspace over ``config.inventory`` (its ledger is created when missing)."""
    state = State(config)
    routes = [Route("/static/app.css", _stylesheet), *officer.routes(), *privacy_center.routes()]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=config.session_secret, session_cookie="governance_session",
                   max_age=SESSION_HOURS * 3600, same_site="strict", https_only=config.secure_cookies),
    ]

    @asynccontextmanager
    async def lifespan(_app):
        yield
        state.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan, max_body_size=MAX_BODY,
                    exception_handlers={HTTPException: _error, Exception: _error})
    app.state.web = state
    return app

