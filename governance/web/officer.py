"""Officer pages: login, dashboard, inventory, request queue, one request (plan, approve and execute, letters, log).

Every page needs a logged-in officer whose account is still in the officers file;
every POST carries the session's CSRF token; every officer action is appended to the
ledger's audit log (request actions under the request's id, the others under ``workspace``).
Requests are planned and carried out by :mod:`governance.dsr.service`, nothing here decides.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from governance.dsr import service
from governance.dsr.deadlines import REQUEST_TYPES
from governance.dsr.ledger import RequestRecord
from governance.errors import GovernanceError
from governance.policy.render import html_to_pdf
from governance.report.html import bar_chart
from governance.web import runs
from governance.web.security import LETTER_CSP, checked_form, client_key
from governance.web.users import authenticate, load_officers

WORKSPACE = "workspace"  # the audit-log id of officer actions that concern no single request
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
LETTER_FILE = re.compile(r"^[a-z_-]+-letter\.(html|md)$")
STATUS_FILTERS = ("open", "all", "awaiting_verification", "completed", "cancelled")



def _state(request: Request):
    return request.app.state.web


def officer_name(request: Request) -> str:
    """The logged-in officer, or a redirect to the login page."""
    state = _state(request)
    name = request.session.get("officer")
    if not name or name not in load_officers(state.config.officers_path):
        request.session.pop("officer", None)
        raise HTTPException(303, headers={"Location": f"/login?next={quote(request.url.path)}"})
    return name


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


# login ------------------------------------------------------------------------------------------
async def login_page(request: Request) -> Response:
    return _state(request).page(request, "officer/login.html.j2", next=_safe_next(request.query_params.get("next")),
                                error=None)


async def login(request: Request) -> Response:
    state = _state(request)
    form = await checked_form(request)
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "/")))
    officers = load_officers(state.config.officers_path)
    if not state.limits.hit("login", client_key(request), state.config.login_limit):
        return state.page(request, "officer/login.html.j2", status=429, next=target,
                          error="Too many attempts. Wait a few minutes and try again.")
    if not await run_in_threadpool(authenticate, officers, name, password):
        return state.page(request, "officer/login.html.j2", status=401, next=target,
                          error="The name or the password is wrong.")
    request.session.clear()
    request.session["officer"] = name
    state.ledger.append(WORKSPACE, "officer_login", {"officer": name})
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# dashboard and inventory ----------------------------------------------------------------------
def _trend(points: list[tuple[str, int]]) -> dict:
    top = max((n for _, n in points), default=0) or 1
    return {"bars": [{"run": name, "open": n, "height": round(80 * n / top, 1), "x": i * 22}
                     for i, (name, n) in enumerate(points[-30:])], "width": 22 * min(len(points), 30)}


async def dashboard(request: Request) -> Response:
    officer_name(request)
    state = _state(request)
    board = runs.dashboard(state.config.runs_dir, [d.id for d in state.loaded.inventory.datasets])
    queue = [_row(rec, state) for rec in state.ledger.requests(open_only=True)]
    return state.page(request, "officer/dashboard.html.j2", board=board,
                      chart=bar_chart(board.by_severity, "Open violations of the latest check by severity"),
                      trend=_trend(board.trend), overdue=sum(r["overdue"] for r in queue), open_count=len(queue))


async def run_check(request: Request) -> Response:
    name = officer_name(request)
    state = _state(request)
    form = await checked_form(request)
    scan = form.get("scan") == "1"
    try:
        path = await run_in_threadpool(runs.run_check_now, state.config.inventory, state.config.runs_dir, scan,
                                       state.config.now())
    except GovernanceError as exc:
        raise HTTPException(400, f"The check could not run: {exc.one_line()}") from None
    state.ledger.append(WORKSPACE, "check_run", {"officer": name, "report": path.name, "scan": scan})
    return RedirectResponse("/", status_code=303)


async def inventory(request: Request) -> Response:
    officer_name(request)
    state = _state(request)
    loaded = state.loaded
    inv = loaded.inventory

    def at(*loc) -> dict:
        where = loaded.where(loc)
        file, _, line = where.rpartition(":")
        index = next((i for i, f in enumerate(loaded.files) if str(f) == file), None)
        return {"text": where, "href": f"/inventory/source/{index}#L{line}" if index is not None else None}

    return state.page(request, "officer/inventory.html.j2", inv=inv,
                      datasets=[(d, at("datasets", i)) for i, d in enumerate(inv.datasets)],
                      purposes=[(p, at("purposes", i)) for i, p in enumerate(inv.purposes)],
                      recipients=[(r, at("recipients", i)) for i, r in enumerate(inv.recipients)])


async def inventory_source(request: Request) -> Response:
    officer_name(request)
    state = _state(request)
    files = state.loaded.files
    index = request.path_params["index"]
    if index >= len(files):
        raise HTTPException(404, "No such inventory file.")
    lines = files[index].read_text(encoding="utf-8").splitlines()
    return state.page(request, "officer/source.html.j2", file=str(files[index]), lines=lines)


# requests --------------------------------------------------------------------------------------
def _row(rec: RequestRecord, state) -> dict:
    """A request as the queue shows it: days left to its answer deadline, red when overdue."""
    today = state.config.today()
    due = rec.deadline("respond")
    days = due.days_left(today) if due else None
    return {"id": rec.request_id, "type": rec.request_type, "type_label": service.TYPE_LABELS[rec.request_type],
            "jurisdiction": rec.jurisdiction, "received": rec.received.isoformat(), "status": rec.status,
            "verification": rec.verification, "due": due.due.isoformat() if due else None, "days_left": days,
            "overdue": days is not None and days < 0 and rec.status != "completed",
            "deadlines": [{**asdict(d), "due": d.due.isoformat(), "days_left": d.days_left(today)}
                          for d in rec.deadlines]}


async def queue(request: Request) -> Response:
    officer_name(request)
    state = _state(request)
    q = request.query_params
    filters = {"type": q.get("type", ""), "status": q.get("status", "open"), "jurisdiction": q.get("jurisdiction", "")}
    rows = [_row(rec, state) for rec in state.ledger.requests(open_only=filters["status"] == "open")]
    jurisdictions = sorted({r["jurisdiction"] for r in rows})
    if filters["type"]:
        rows = [r for r in rows if r["type"] == filters["type"]]
    if filters["status"] not in ("open", "all"):
        rows = [r for r in rows if r["status"] == filters["status"]]
    if filters["jurisdiction"]:
        rows = [r for r in rows if r["jurisdiction"] == filters["jurisdiction"]]
    rows.sort(key=lambda r: (r["days_left"] is None, r["days_left"] if r["days_left"] is not None else 0, r["id"]))
    return state.page(request, "officer/queue.html.j2", rows=rows, filters=filters, types=REQUEST_TYPES,
                      statuses=STATUS_FILTERS, jurisdictions=jurisdictions)


def _record(request: Request) -> RequestRecord:
    request_id = request.path_params["request_id"]
    rec = _state(request).ledger.get(request_id) if REQUEST_ID.match(request_id) else None
    if rec is None:
        raise HTTPException(404, "No such request.")
    return rec


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _carry_out(state, rec: RequestRecord, identifiers: list[str], assignments: list[str], dry_run: bool, lang: str):
    opts = service.RequestOptions(
        subject=identifiers, inventory=state.loaded, jurisdiction=rec.jurisdiction, received=rec.received,
        request_id=rec.request_id, output_dir=state.config.request_dir(rec.request_id),
        ledger=state.config.ledger_location, dry_run=dry_run, verification="verified", lang=lang,
        today=state.config.today(), now=state.config.now)
    return service.carry_out(rec.request_type, opts, assignments)


def _plan_view(outcome) -> dict:
    found = outcome.found
    return {
        "status": outcome.status,
        "records": {ds: len(recs) for ds, recs in found.records.items()} if found else {},
        "changes": [{"dataset": c.dataset, "row": c.row_label, "field": c.field or "(whole row)",
                     "action": c.action.replace("_", " ")} for c in outcome.changes],
        "held": [{"dataset": h.dataset, "fields": ", ".join(h.fields) or "whole record", "reason": h.reason,
                  "basis": h.basis} for h in (outcome.deletion.held if outcome.deletion else [])],
        "not_found": outcome.correction.not_found if outcome.correction else [],
        "suppress": outcome.opt_out.added if outcome.opt_out else [],
        "export": outcome.export.files if outcome.export else [],
        "proof": outcome.proof,
        "warnings": outcome.warnings,
    }


def _letters(state, request_id: str) -> list[str]:
    folder = state.config.request_dir(request_id)
    return sorted(p.name for p in folder.glob("*-letter.html")) if folder.is_dir() else []


async def _request_page(request: Request, rec: RequestRecord, status: int = 200, **extra) -> Response:
    state = _state(request)
    contact = state.store.contact(rec.request_id)
    plan = extra.pop("plan", None)
    error = extra.pop("error", None)
    waits_for_values = rec.request_type == "correct" and not extra.get("assignments")
    if plan is None and error is None and contact is not None and rec.status != "completed" and not waits_for_values:
        try:
            plan = _plan_view(await run_in_threadpool(_carry_out, state, rec, contact.identifiers,
                                                      _lines(extra.get("assignments", "")), True, contact.lang))
        except GovernanceError as exc:
            error = exc.one_line()
    rec = state.ledger.get(rec.request_id)
    return state.page(request, "officer/request.html.j2", status=status, req=_row(rec, state), contact=contact,
                      plan=plan, error=error, entries=state.ledger.entries(rec.request_id),
                      letters=_letters(state, rec.request_id), **{"executed": False, "assignments": "", **extra})


async def request_page(request: Request) -> Response:
    officer_name(request)
    return await _request_page(request, _record(request))


def _identifiers(state, rec: RequestRecord, form) -> tuple[list[str], str]:
    contact = state.store.contact(rec.request_id)
    if contact is not None:
        return contact.identifiers, contact.lang
    return _lines(str(form.get("subject", ""))), str(form.get("lang", "en"))


async def plan(request: Request) -> Response:
    officer_name(request)
    state = _state(request)
    rec = _record(request)
    form = await checked_form(request)
    identifiers, lang = _identifiers(state, rec, form)
    assignments = str(form.get("assignments", ""))
    try:
        outcome = await run_in_threadpool(_carry_out, state, rec, identifiers, _lines(assignments), True, lang)
    except GovernanceError as exc:
        return await _request_page(request, rec, status=400, error=exc.one_line(), assignments=assignments)
    return await _request_page(request, rec, plan=_plan_view(outcome), assignments=assignments)


async def execute(request: Request) -> Response:
    name = officer_name(request)
    state = _state(request)
    rec = _record(request)
    form = await checked_form(request)
    identifiers, lang = _identifiers(state, rec, form)
    assignments = str(form.get("assignments", ""))
    if rec.status == "completed":
        return await _request_page(request, rec, status=409, error="This request is already completed.")
    state.ledger.append(rec.request_id, "officer_approved", {"officer": name})
    try:
        outcome = await run_in_threadpool(_carry_out, state, rec, identifiers, _lines(assignments), False, lang)
    except GovernanceError as exc:
        state.ledger.append(rec.request_id, "officer_execution_failed", {"officer": name})
        return await _request_page(request, rec, status=400, error=exc.one_line(), assignments=assignments)
    if outcome.status == "completed":
        state.store.forget_contact(rec.request_id)
    return await _request_page(request, rec, plan=_plan_view(outcome), executed=True)


async def letter(request: Request) -> Response:
    name = officer_name(request)
    state = _state(request)
    rec = _record(request)
    filename = request.path_params["name"]
    if filename.endswith(".pdf"):
        response = await _letter_pdf(state, rec, filename)
        state.ledger.append(rec.request_id, "letter_downloaded", {"officer": name, "file": filename})
        return response
    path: Path = state.config.request_dir(rec.request_id) / filename
    if not LETTER_FILE.match(filename) or not path.is_file():
        raise HTTPException(404, "No such letter.")
    headers = {"Content-Security-Policy": LETTER_CSP}
    if request.query_params.get("download") == "1":
        headers["Content-Disposition"] = f'attachment; filename="{rec.request_id}-{filename}"'
        state.ledger.append(rec.request_id, "letter_downloaded", {"officer": name, "file": filename})
    media = "text/html" if filename.endswith(".html") else "text/markdown"
    return Response(path.read_bytes(), media_type=media, headers=headers)


async def _letter_pdf(state, rec: RequestRecord, filename: str) -> Response:
    """The HTML letter as PDF (English letters: the PDF converter's fonts have no Persian or Vietnamese)."""
    source = state.config.request_dir(rec.request_id) / filename.removesuffix(".pdf")
    source = source.with_name(source.name + ".html")
    if not LETTER_FILE.match(source.name) or not source.is_file():
        raise HTTPException(404, "No such letter.")
    html = source.read_text(encoding="utf-8")
    if not html.lstrip().lower().startswith("<!doctype html>") or ' lang="en"' not in html[:300]:
        raise HTTPException(404, "PDF letters are available in English only; print the HTML letter from the browser.")
    try:
        pdf = await run_in_threadpool(html_to_pdf, html)
    except GovernanceError as exc:
        raise HTTPException(501, exc.one_line()) from None
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{rec.request_id}-{filename}"'})


def routes() -> list[Route]:
    return [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", dashboard, methods=["GET"]),
        Route("/checks", run_check, methods=["POST"]),
        Route("/inventory", inventory, methods=["GET"]),
        Route("/inventory/source/{index:int}", inventory_source, methods=["GET"]),
        Route("/requests", queue, methods=["GET"]),
        Route("/requests/{request_id}", request_page, methods=["GET"]),
        Route("/requests/{request_id}/plan", plan, methods=["POST"]),
        Route("/requests/{request_id}/execute", execute, methods=["POST"]),
        Route("/requests/{request_id}/letters/{name}", letter, methods=["GET"]),
    ]
