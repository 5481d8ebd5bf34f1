"""The public privacy center: ask for access, deletion, correction or a marketing opt-out, in en, fa or vi.

1. ``GET /privacy-center`` shows the form; ``POST`` checks it (CSRF token, rate limit per
   client address and per e-mail address), keeps the submission and mails a one-time code.
2. ``/privacy-center/verify/<token>``: the code is checked (hashed, expiring, a few attempts).
   Only then is the request created, through :mod:`governance.dsr.service` as an unverified
   request that waits for an officer (an opt-out, which needs no verification, 11 CCR 7026, is
   carried out at once); the ledger records that the e-mail address was confirmed.
3. ``/privacy-center/requests/<id>``, for the same browser session only: the request number
   and its deadlines.

Nothing personal is logged; the e-mail address never appears in a URL.
"""

from __future__ import annotations

import re

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from governance.dsr import service
from governance.dsr.deadlines import REQUEST_TYPES, jurisdiction_name, jurisdictions_covering
from governance.errors import GovernanceError
from governance.i18n import available_languages, localizer
from governance.web.mail import send_code
from governance.web.security import checked_form, client_key, hashed_key
from governance.web.store import CodeCheck, Contact, Submission

EMAIL = re.compile(r"^[^@\s<>\"',;]{1,64}@[^@\s<>\"',;]+\.[^@\s<>\"',;]{2,}$")
NOTE_MAX = 2000
ACKNOWLEDGED = "acknowledged"  # session key: the request ids this browser may see
#: what the pages show only when a step went wrong
BLANK = {"type": "", "jurisdiction": "", "email": "", "note": ""}
PAGE_DEFAULTS = {"values": BLANK, "errors": [], "limited": False, "mail_failed": False, "failed": False, "wrong": False}


def lang_of(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    return lang if lang in available_languages() else "en"


def _choices(lang: str) -> dict:
    loc = localizer(lang)
    return {"types": [(t, loc.term(service.TYPE_LABELS[t])) for t in REQUEST_TYPES],
            "jurisdictions": [(j, loc.term(jurisdiction_name(j))) for j in jurisdictions_covering()],
            "languages": [(code, localizer(code).locale.get_display_name(code)) for code in available_languages()]}


def _page(request: Request, name: str, lang: str, status: int = 200, **context) -> Response:
    state = request.app.state.web
    if state.config.smtp is None:
        status, name = 503, "privacy/unavailable.html.j2"
    return state.page(request, name, status=status, lang=lang, org=state.loaded.inventory.organization,
                      **_choices(lang), **{**PAGE_DEFAULTS, **context})


async def form_page(request: Request) -> Response:
    return _page(request, "privacy/form.html.j2", lang_of(request))


async def submit(request: Request) -> Response:
    state = request.app.state.web
    form = await checked_form(request)
    lang = str(form.get("lang", "en"))
    lang = lang if lang in available_languages() else "en"
    values = {k: str(form.get(k, "")).strip() for k in ("type", "jurisdiction", "email", "note")}
    errors = []
    if values["type"] not in REQUEST_TYPES:
        errors.append("type")
    if values["jurisdiction"] not in jurisdictions_covering():
        errors.append("jurisdiction")
    if not EMAIL.match(values["email"]) or len(values["email"]) > 254:
        errors.append("email")
    if len(values["note"]) > NOTE_MAX:
        errors.append("note")
    if errors:
        return _page(request, "privacy/form.html.j2", lang, status=400, values=values, errors=errors)
    if state.config.smtp is None:
        return _page(request, "privacy/form.html.j2", lang)
    cfg = state.config
    if not (state.limits.hit("form", client_key(request), cfg.form_limit)
            and state.limits.hit("email", hashed_key(values["email"]), cfg.email_limit)):
        return _page(request, "privacy/form.html.j2", lang, status=429, values=values, limited=True)
    submission = Submission(values["type"], values["jurisdiction"], values["email"], lang, values["note"])
    token, code = state.store.start(submission, cfg.now(), cfg.code_ttl_seconds)
    try:
        await run_in_threadpool(send_code, cfg.smtp, state.env(lang), values["email"], code,
                                state.loaded.inventory.organization.name, cfg.code_ttl_seconds // 60)
    except GovernanceError:
        return _page(request, "privacy/form.html.j2", lang, status=502, values=values, mail_failed=True)
    return RedirectResponse(f"/privacy-center/verify/{token}?lang={lang}", status_code=303)


async def verify_page(request: Request) -> Response:
    state = request.app.state.web
    token = request.path_params["token"]
    lang = lang_of(request)
    if not state.store.exists(token, state.config.now()):
        return _page(request, "privacy/expired.html.j2", lang, status=404)
    return _page(request, "privacy/verify.html.j2", lang, token=token)


def _create(state, submission: Submission) -> str:
    """The request, created through the service; returns its number."""
    today = state.config.today()
    request_id = service.new_request_id(today)
    identifiers = [f"email={submission.email}"]
    opts = service.RequestOptions(
        subject=identifiers, inventory=state.loaded, jurisdiction=submission.jurisdiction, received=today,
        request_id=request_id, output_dir=state.config.request_dir(request_id), ledger=state.config.ledger_location,
        verification="unverified", lang=submission.lang, today=today, now=state.config.now)
    outcome = service.carry_out(submission.request_type, opts)
    state.ledger.append(request_id, "email_confirmed", {"channel": "privacy-center", "one_time_code": True})
    if outcome.status != "completed":
        state.store.keep_contact(Contact(request_id, identifiers, submission.lang, submission.note))
    return request_id


async def verify(request: Request) -> Response:
    state = request.app.state.web
    token = request.path_params["token"]
    form = await checked_form(request)
    lang = str(form.get("lang", "en"))
    lang = lang if lang in available_languages() else "en"
    result, submission = state.store.confirm(token, str(form.get("code", "")), state.config.now(),
                                             state.config.code_attempts)
    if result == CodeCheck.WRONG:
        return _page(request, "privacy/verify.html.j2", lang, status=400, token=token, wrong=True)
    if result != CodeCheck.OK:
        return _page(request, "privacy/expired.html.j2", lang, status=410)
    try:
        request_id = await run_in_threadpool(_create, state, submission)
    except GovernanceError:
        return _page(request, "privacy/form.html.j2", submission.lang, status=500, values={}, failed=True)
    request.session[ACKNOWLEDGED] = [*request.session.get(ACKNOWLEDGED, [])[-9:], request_id]
    return RedirectResponse(f"/privacy-center/requests/{request_id}?lang={submission.lang}", status_code=303)


async def acknowledgement(request: Request) -> Response:
    state = request.app.state.web
    request_id = request.path_params["request_id"]
    if request_id not in request.session.get(ACKNOWLEDGED, []):
        raise HTTPException(404, "Not found.")
    rec = state.ledger.get(request_id)
    lang = lang_of(request)
    loc = localizer(lang)
    deadlines = [{"label": loc.term(service.DEADLINE_LABELS[d.kind]), "due": loc.date(d.due)} for d in rec.deadlines]
    return _page(request, "privacy/acknowledgement.html.j2", lang, request_id=rec.request_id,
                 type_label=loc.term(service.TYPE_LABELS[rec.request_type]), deadlines=deadlines,
                 received=loc.date(rec.received), completed=rec.status == "completed")


def routes() -> list[Route]:
    return [
        Route("/privacy-center", form_page, methods=["GET"]),
        Route("/privacy-center", submit, methods=["POST"]),
        Route("/privacy-center/verify/{token}", verify_page, methods=["GET"]),
        Route("/privacy-center/verify/{token}", verify, methods=["POST"]),
        Route("/privacy-center/requests/{request_id}", acknowledgement, methods=["GET"]),
    ]
