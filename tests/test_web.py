"""`governance serve` through Starlette's test client: officer login, dashboard, queue, approve and execute,
letters; the privacy center's one-time-code flow in en, fa and vi against a real local SMTP sink (aiosmtpd);
CSRF, rate limits, code expiry, escaping and what the logs and the ledger never hold."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
from starlette.testclient import TestClient
from web_support import OFFICER, PASSWORD, create_app, csrf_of, start_sink, workspace

from governance.cli import cli
from governance.dsr import service
from governance.web.config import Limit
from governance.web.users import load_officers

CARA = "Cara.Doe@Example.com"
OFFICER_PAGES = ["/", "/inventory", "/inventory/source/0", "/requests", "/requests/DSR-X",
                 "/requests/DSR-X/letters/deletion-letter.html"]
OFFICER_POSTS = ["/checks", "/requests/DSR-X/plan", "/requests/DSR-X/execute"]


@pytest.fixture
def smtp():
    controller, sink = start_sink()
    try:
        yield controller.port, sink
    finally:
        controller.stop()


@pytest.fixture
def sink(smtp):
    return smtp[1]


@pytest.fixture
def config(tmp_path, smtp):
    return workspace(tmp_path / "shop", smtp[0])


@pytest.fixture
def client(config):
    with TestClient(create_app(config), base_url="https://testserver") as c:
        yield c


def login(client, name=OFFICER, password=PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"csrf": token, "name": name, "password": password, "next": "/"},
                       follow_redirects=False)


def submit(client, email=CARA, kind="delete", law="GDPR", lang="en", note=""):
    token = csrf_of(client.get(f"/privacy-center?lang={lang}").text)
    return client.post("/privacy-center", data={"csrf": token, "lang": lang, "type": kind, "jurisdiction": law,
                                                "email": email, "note": note}, follow_redirects=False)


def confirm(client, verify_url, code, lang="en"):
    token = csrf_of(client.get(verify_url).text)
    return client.post(verify_url.split("?")[0], data={"csrf": token, "lang": lang, "code": code},
                       follow_redirects=False)


def customer_request(client, sink, email=CARA, lang="en", **kw) -> str:
    """Submit, read the code from the SMTP sink, confirm; the new request's number."""
    sent = submit(client, email=email, lang=lang, **kw)
    assert sent.status_code == 303, sent.text
    done = confirm(client, sent.headers["location"], sink.code_for(email), lang)
    assert done.status_code == 303, done.text
    return re.search(r"/privacy-center/requests/([^?]+)", done.headers["location"])[1]


def customers(config) -> dict[int, tuple]:
    with sqlite3.connect(config.base_dir / "shop.db") as db:
        return {r[0]: r[1:] for r in db.execute("SELECT id, first_name, email, phone FROM customers")}


# --- officer side ----------------------------------------------------------------------------------

def test_an_anonymous_visitor_reaches_no_officer_page(client):
    for page in OFFICER_PAGES:
        r = client.get(page, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), page
    token = csrf_of(client.get("/privacy-center").text)  # a valid CSRF token is not a login
    for page in OFFICER_POSTS:
        r = client.post(page, data={"csrf": token}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), page


def test_login_needs_the_right_password_a_csrf_token_and_sets_a_strict_secure_cookie(client, config):
    assert login(client, password="wrong password!!").status_code == 401
    assert login(client, name="nobody").status_code == 401
    no_token = client.post("/login", data={"name": OFFICER, "password": PASSWORD}, follow_redirects=False)
    assert no_token.status_code == 403
    r = login(client)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie
    assert client.get("/").status_code == 200
    ledger_entries = client.app.state.web.ledger.entries("workspace")
    assert [(e.action, e.details) for e in ledger_entries] == [("officer_login", '{"officer":"olivia"}')]


def test_login_returns_only_to_pages_of_this_site(client):
    for target, expected in (("/requests", "/requests"), ("//evil.example/", "/"), ("/\\evil.example", "/"),
                             ("https://evil.example/", "/")):
        client.cookies.clear()
        token = csrf_of(client.get("/login").text)
        r = client.post("/login", data={"csrf": token, "name": OFFICER, "password": PASSWORD, "next": target},
                        follow_redirects=False)
        assert r.headers["location"] == expected, target


def test_failed_logins_are_rate_limited(client):
    for _ in range(5):
        assert login(client, password="not the password").status_code == 401
    assert login(client).status_code == 429  # even the right password waits


def test_every_response_forbids_framing_sniffing_and_outside_resources(client):
    r = client.get("/login")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    assert not re.search(r'(src|href)="(https?:)?//', r.text)
    assert client.get("/static/app.css").headers["content-type"].startswith("text/css")


def test_dashboard_runs_the_check_and_counts_open_violations_per_dataset(client, config):
    login(client)
    assert "No check has run yet." in client.get("/").text
    page = client.get("/")
    r = client.post("/checks", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    reports = sorted(config.runs_dir.glob("check-*.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())
    expected = Counter(v["dataset"] or "(whole inventory)" for v in report["violations"] if v["status"] == "open")
    assert sum(expected.values()) > 0
    html = client.get("/").text
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', html))
    assert set(rows) == {d.id for d in client.app.state.web.loaded.inventory.datasets} | {"(whole inventory)"}
    for dataset, cells in rows.items():
        assert sum(int(n) for n in re.findall(r">(\d+)</td>", cells)) == expected.get(dataset, 0), dataset
    assert f"{report['summary']['open']}</strong> open violation(s)" in html
    assert "1 run(s)" in html
    entry = client.app.state.web.ledger.entries("workspace")[-1]
    assert entry.action == "check_run" and '"officer":"olivia"' in entry.details


def test_queue_shows_days_left_red_when_overdue_and_filters(client, config):
    today = date.today()
    old = service.RequestOptions(subject=["email=ann@example.com"], inventory=config.inventory, jurisdiction="CCPA",
                                 received=today - timedelta(days=60), verification="unverified",
                                 ledger=config.ledger_location, output_dir=config.request_dir("DSR-OLD"),
                                 request_id="DSR-OLD")
    service.access(old)
    fresh = service.RequestOptions(subject=["email=bob@example.com"], inventory=config.inventory, jurisdiction="GDPR",
                                   verification="unverified", ledger=config.ledger_location, request_id="DSR-NEW",
                                   output_dir=config.request_dir("DSR-NEW"))
    service.delete(fresh)
    login(client)
    html = client.get("/requests").text
    old_row = re.search(r'<tr class="([^"]*)">\s*<th scope="row"><a href="/requests/DSR-OLD">.*?</tr>', html, re.S)
    new_row = re.search(r'<tr class="([^"]*)">\s*<th scope="row"><a href="/requests/DSR-NEW">.*?</tr>', html, re.S)
    assert old_row[1] == "overdue" and "overdue by 15" in old_row[0]  # 45 calendar days, 11 CCR 7021(b)
    assert new_row[1] == "" and "overdue" not in new_row[0]
    assert html.index("DSR-OLD") < html.index("DSR-NEW")  # overdue first
    only_gdpr = client.get("/requests?jurisdiction=GDPR").text
    assert "DSR-NEW" in only_gdpr and "DSR-OLD" not in only_gdpr
    only_access = client.get("/requests?type=access").text
    assert "DSR-OLD" in only_access and "DSR-NEW" not in only_access
    assert "No request matches." in client.get("/requests?status=completed").text


def test_officer_plans_approves_and_executes_a_deletion_verified_in_the_database(client, config, sink):
    request_id = customer_request(client, sink, kind="delete")
    before = customers(config)
    login(client)
    page = client.get(f"/requests/{request_id}").text
    assert "Plan (dry run, nothing changed yet)" in page and "17 change(s)" in page
    assert "unverified" in page and "confirmed with a one-time code" in page
    assert customers(config) == before  # the plan changed nothing
    r = client.post(f"/requests/{request_id}/execute", data={"csrf": csrf_of(page)})
    assert r.status_code == 200, r.text
    assert "Erasure verified" in r.text and 'class="status">completed' in r.text
    after = customers(config)
    assert after[3][0] != "Cara" and after[3][1] != CARA and after[3][2] is None  # redacted, hashed, nulled
    assert after[1] == before[1] and after[2] == before[2]  # the others untouched
    actions = [e.action for e in client.app.state.web.ledger.entries(request_id)]
    assert actions.index("email_confirmed") < actions.index("officer_approved") < actions.index("changed")
    assert actions[-1] == "status:completed"
    approved = next(e for e in client.app.state.web.ledger.entries(request_id) if e.action == "officer_approved")
    assert approved.details == '{"officer":"olivia"}'
    assert client.app.state.web.store.contact(request_id) is None  # the address is dropped once answered
    letter = client.get(f"/requests/{request_id}/letters/deletion-letter.html?download=1")
    assert letter.status_code == 200 and "attachment" in letter.headers["content-disposition"]
    assert request_id in letter.text and "Cara.Doe@Example.com" not in letter.text
    assert "default-src 'none'" in letter.headers["content-security-policy"]
    pdf = client.get(f"/requests/{request_id}/letters/deletion-letter.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    downloads = [e.details for e in client.app.state.web.ledger.entries(request_id) if e.action == "letter_downloaded"]
    assert downloads == ['{"file":"deletion-letter.html","officer":"olivia"}', '{"file":"deletion-letter.pdf","officer":"olivia"}']
    again = client.post(f"/requests/{request_id}/execute", data={"csrf": csrf_of(page)})
    assert again.status_code == 409


def test_letter_names_are_checked(client, config, sink):
    request_id = customer_request(client, sink)
    login(client)
    assert client.get(f"/requests/{request_id}/letters/acknowledgement-letter.html").status_code == 200
    for name in ("..%2F..%2Fofficers.yaml", "ledger.db", "acknowledgement-letter.txt"):
        assert client.get(f"/requests/{request_id}/letters/{name}").status_code == 404
    assert client.get("/requests/..%2F..%2Fetc/letters/x-letter.html").status_code == 404


def test_a_cli_request_is_planned_with_the_identifiers_the_officer_types(client, config):
    service.delete(service.RequestOptions(subject=["email=bob@example.com"], inventory=config.inventory,
                                          verification="unverified", ledger=config.ledger_location,
                                          request_id="DSR-CLI", output_dir=config.request_dir("DSR-CLI")))
    login(client)
    page = client.get("/requests/DSR-CLI").text
    assert "Plan (" not in page and 'name="subject"' in page
    wrong = client.post("/requests/DSR-CLI/plan", data={"csrf": csrf_of(page), "subject": "email=ann@example.com"})
    assert wrong.status_code == 400 and "other subject identifiers" in wrong.text
    plan = client.post("/requests/DSR-CLI/plan", data={"csrf": csrf_of(page), "subject": "email=bob@example.com"})
    assert plan.status_code == 200 and "Plan (dry run" in plan.text and "customers (1)" in plan.text


def test_inventory_page_links_each_declaration_to_its_yaml_line(client, config):
    login(client)
    html = client.get("/inventory").text
    href = re.search(r'<th scope="row">orders</th>.*?<a href="(/inventory/source/0#L(\d+))">', html, re.S)
    line = int(href[2])
    source = client.get("/inventory/source/0").text
    assert re.search(rf'<li id="L{line}"><code>\s*- id: orders</code>', source)
    assert client.get("/inventory/source/5").status_code == 404


def test_text_from_the_public_is_escaped_on_officer_pages(client, config, sink):
    request_id = customer_request(client, sink, kind="correct", note='<script>alert(1)</script> "x"')
    login(client)
    page = client.get(f"/requests/{request_id}").text
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- privacy center -------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "direction", "heading", "deadline_label"), [
    ("en", "ltr", "We have received your request", "We answer by"),
    ("fa", "rtl", "درخواست شما را دریافت کردیم", None),
    ("vi", "ltr", "Chúng tôi đã nhận được yêu cầu của bạn", None),
])
def test_customer_request_in_each_language(client, config, sink, lang, direction, heading, deadline_label):
    form = client.get(f"/privacy-center?lang={lang}").text
    assert f'<html lang="{lang}" dir="{direction}">' in form
    request_id = customer_request(client, sink, lang=lang, kind="access", law="VN")
    message = sink.messages[-1]
    assert message["To"] == CARA and message["From"] == "privacy@shop.example"
    ack = client.get(f"/privacy-center/requests/{request_id}?lang={lang}").text
    assert heading in ack and request_id in ack
    rec = client.app.state.web.ledger.get(request_id)
    assert rec.status == "awaiting_verification" and rec.request_type == "access" and rec.jurisdiction == "VN"
    from governance.i18n import localizer

    due = localizer(lang).date(rec.deadline("respond").due)
    assert f'<dd class="deadline">{due}</dd>' in ack
    if deadline_label:
        assert deadline_label in ack
    letter = (config.request_dir(request_id) / "acknowledgement-letter.html").read_text()
    assert f'lang="{lang}"' in letter
    login(client)
    pdf = client.get(f"/requests/{request_id}/letters/acknowledgement-letter.pdf")
    assert pdf.status_code == (200 if lang == "en" else 404)


def test_the_acknowledgement_is_shown_only_to_the_browser_that_made_the_request(client, config, sink):
    request_id = customer_request(client, sink)
    with TestClient(client.app, base_url="https://testserver") as stranger:
        assert stranger.get(f"/privacy-center/requests/{request_id}").status_code == 404


def test_no_request_is_created_before_the_code_is_confirmed(client, sink):
    ledger = client.app.state.web.ledger
    sent = submit(client)
    assert sent.status_code == 303 and ledger.requests(open_only=False) == []
    wrong = confirm(client, sent.headers["location"], "000000" if sink.code_for(CARA) != "000000" else "111111")
    assert wrong.status_code == 400 and ledger.requests(open_only=False) == []
    assert confirm(client, sent.headers["location"], sink.code_for(CARA)).status_code == 303
    assert len(ledger.requests(open_only=False)) == 1


def test_codes_are_stored_hashed_and_die_after_five_wrong_attempts(client, config, sink):
    sent = submit(client)
    code = sink.code_for(CARA)
    with sqlite3.connect(config.base_dir / ".dsr" / "ledger.db") as db:
        stored = db.execute("SELECT code_hash FROM web_pending").fetchall()
    assert len(stored) == 1 and code not in stored[0][0] and len(stored[0][0]) == 64
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        assert confirm(client, sent.headers["location"], wrong).status_code == 400
    assert confirm(client, sent.headers["location"], wrong).status_code == 410
    assert client.get(sent.headers["location"]).status_code == 404
    assert confirm_with_page_token(client, sent.headers["location"], code).status_code == 410  # even the right one
    assert client.app.state.web.ledger.requests(open_only=False) == []


def test_codes_expire(tmp_path, smtp):
    clock = [datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)]
    config = workspace(tmp_path / "shop", smtp[0], now=lambda: clock[0])
    with TestClient(create_app(config), base_url="https://testserver") as c:
        sent = submit(c)
        clock[0] += timedelta(minutes=16)
        assert c.get(sent.headers["location"]).status_code == 404
        assert confirm_with_page_token(c, sent.headers["location"], smtp[1].code_for(CARA)).status_code == 410


def confirm_with_page_token(client, verify_url, code):
    token = csrf_of(client.get("/privacy-center").text)
    return client.post(verify_url.split("?")[0], data={"csrf": token, "lang": "en", "code": code},
                       follow_redirects=False)


def test_the_public_form_is_rate_limited_per_address_and_per_mailbox(tmp_path, smtp):
    config = workspace(tmp_path / "shop", smtp[0], form_limit=Limit(3, 600), email_limit=Limit(2, 3600))
    with TestClient(create_app(config), base_url="https://testserver") as c:
        assert submit(c, email="a@example.com").status_code == 303
        assert submit(c, email="a@example.com").status_code == 303
        assert submit(c, email="a@example.com").status_code == 429  # the mailbox's limit
        assert submit(c, email="b@example.com").status_code == 429  # the client's limit (3 tries)
    assert len(smtp[1].messages) == 2


def test_the_form_needs_its_csrf_token_and_valid_fields(client, sink):
    r = client.post("/privacy-center", data={"lang": "en", "type": "delete", "jurisdiction": "GDPR", "email": CARA})
    assert r.status_code == 403
    bad = submit(client, email="not an address", kind="sell", law="HIPAA")
    assert bad.status_code == 400
    assert "Enter a valid e-mail address." in bad.text and "Choose a law from the list." in bad.text
    assert sink.messages == []


def test_an_opt_out_is_carried_out_once_the_address_is_confirmed(client, config, sink):
    request_id = customer_request(client, sink, kind="opt_out", law="CCPA")
    rec = client.app.state.web.ledger.get(request_id)
    assert rec.status == "completed"
    assert "Your request has been carried out." in client.get(f"/privacy-center/requests/{request_id}").text
    assert client.app.state.web.store.contact(request_id) is None


def test_without_smtp_the_form_is_switched_off(tmp_path):
    config = workspace(tmp_path / "shop", None)
    with TestClient(create_app(config), base_url="https://testserver") as c:
        r = c.get("/privacy-center")
        assert r.status_code == 503 and "privacy@shop.example" in r.text


def test_logs_ledger_and_pages_hold_no_raw_address(client, config, sink, caplog):
    caplog.set_level(logging.DEBUG)
    request_id = customer_request(client, sink)
    login(client)
    page = client.get(f"/requests/{request_id}").text
    client.post(f"/requests/{request_id}/execute", data={"csrf": csrf_of(page)})
    ours = [r.getMessage() for r in caplog.records if r.name != "mail.log"]  # mail.log: the SMTP sink's own log
    assert ours and not any(CARA.casefold() in m.casefold() for m in ours)
    with sqlite3.connect(config.base_dir / ".dsr" / "ledger.db") as db:
        dump = "\n".join(db.iterdump())
    assert CARA.casefold() not in dump.casefold()  # pending row and contact both gone; the ledger hashes


# --- accounts ------------------------------------------------------------------------------------

def test_users_add_stores_an_argon2_hash_only(runner, tmp_path):
    officers = tmp_path / "officers.yaml"
    r = runner.invoke(cli, ["users", "add", "ava", "--officers", str(officers)],
                      input="a long enough secret\na long enough secret\n")
    assert r.exit_code == 0, r.output
    text = officers.read_text()
    assert "a long enough secret" not in text and "$argon2id$" in text
    assert list(load_officers(officers)) == ["ava"]
    short = runner.invoke(cli, ["users", "add", "bo", "--officers", str(officers)], input="short\nshort\n")
    assert short.exit_code == 2 and "shorter than 12" in short.output and "Traceback" not in short.output
    listed = runner.invoke(cli, ["users", "list", "--officers", str(officers)])
    assert listed.output == "ava\n"


@pytest.mark.postgres
def test_a_team_ledger_on_postgresql(tmp_path, smtp, postgres_url):
    """The same flow with the ledger (and the privacy center's tables) in PostgreSQL."""
    import sqlalchemy as sa

    config = workspace(tmp_path / "shop", smtp[0], ledger=postgres_url)
    with TestClient(create_app(config), base_url="https://testserver") as c:
        request_id = customer_request(c, smtp[1], kind="delete")
        login(c)
        page = c.get(f"/requests/{request_id}").text
        assert "17 change(s)" in page
        assert c.post(f"/requests/{request_id}/execute", data={"csrf": csrf_of(page)}).status_code == 200
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM dsr_requests")).scalar_one() == "completed"
        assert conn.execute(sa.text("SELECT count(*) FROM web_contacts")).scalar_one() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM web_pending")).scalar_one() == 0
    engine.dispose()
    assert not (config.base_dir / ".dsr" / "ledger.db").exists()
    assert customers(config)[3][0] != "Cara"
