"""`governance serve` in Debian's Chromium, driven by Playwright (``executable_path``; no browser download).

A customer asks in English, Persian and Vietnamese, reads the code from the local SMTP
sink and sees the acknowledgement; an anonymous visitor is sent to the login page; the
officer logs in, runs the check, opens the queue, approves and executes the deletion
(verified in the database) and downloads the letter. Every page is checked for console
errors, requests to anywhere but the app, and horizontal overflow at 400 px; screenshots
at 1280 and 400 px go to test-artifacts/web-*.png.

Without Chromium or Playwright the test skips, unless GOVERNANCE_REQUIRE_BROWSER=1 (CI), where it fails.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date, timedelta

import browser_support
import pytest
import uvicorn
from web_support import OFFICER, PASSWORD, create_app, free_port, start_sink, workspace

from governance.dsr import service

pytestmark = pytest.mark.browser

CARA = "Cara.Doe@Example.com"
WIDTHS = (1280, 400)
#: the page is wider than the window (something does not fit a narrow screen)
OVERFLOW = "document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.fixture
def server(tmp_path):
    """The app over the DSR shop on 127.0.0.1 (plain HTTP: Chromium keeps Secure cookies of loopback hosts)."""
    controller, sink = start_sink()
    config = workspace(tmp_path / "shop", controller.port)
    port = free_port()
    app = create_app(config)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", sink, config
    finally:
        srv.should_exit = True
        thread.join(10)
        controller.stop()


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_support.require("Playwright is not installed (pip install playwright)")
    binary = browser_support.chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=binary, args=browser_support.FLAGS)
        try:
            yield b
        finally:
            b.close()


class Watch:
    """A page's console errors, uncaught exceptions and requests to other origins."""

    def __init__(self, page, base: str):
        self.problems: list[str] = []
        page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(
            f"console: {m.text} at {m.location.get('url')}"))
        page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        page.on("request", lambda r: r.url.startswith((base, "data:")) or self.problems.append(f"outside: {r.url}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))


def shoot(page, repo, name: str) -> None:
    """Screenshots at 1280 and 400 px; at 400 px nothing may stick out sideways."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert not page.evaluate(OVERFLOW), f"{name} is wider than {width} px"
        page.screenshot(path=str(repo / "test-artifacts" / f"web-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_customer_and_officer_in_chromium(server, browser, repo):
    base, sink, config = server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = Watch(page, base)

    page.goto(f"{base}/requests")
    assert page.url == f"{base}/login?next=/requests"  # anonymous: no officer page

    kinds = {"en": "delete", "fa": "access", "vi": "correct"}
    ids = {}
    for lang, kind in kinds.items():
        page.goto(f"{base}/privacy-center?lang={lang}")
        assert page.evaluate("document.documentElement.lang") == lang
        direction = "rtl" if lang == "fa" else "ltr"
        assert page.evaluate("getComputedStyle(document.body).direction") == direction
        shoot(page, repo, f"privacy-center-{lang}")
        page.set_viewport_size({"width": 400, "height": 900})  # the customer fills the form on a phone
        page.check(f"input[name=type][value={kind}]")
        page.select_option("select[name=jurisdiction]", "GDPR")
        page.fill("input[name=email]", CARA)
        button = page.locator("form button[type=submit]")
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 400
        button.click()
        page.wait_for_url("**/privacy-center/verify/**")
        shoot(page, repo, f"verify-{lang}")
        page.fill("input[name=code]", sink.code_for(CARA))
        page.locator("form button[type=submit]").click()
        page.wait_for_url("**/privacy-center/requests/**")
        ids[lang] = page.url.split("/requests/")[1].split("?")[0]
        assert ids[lang] in page.inner_text("main")
        assert page.locator("dd.deadline").count() >= 1
        shoot(page, repo, f"acknowledgement-{lang}")

    service.access(service.RequestOptions(  # an old request, as `governance dsr access` records it
        subject=["email=ann@example.com"], inventory=config.inventory, jurisdiction="CCPA", verification="unverified",
        received=date.today() - timedelta(days=60), request_id="DSR-OLD", ledger=config.ledger_location,
        output_dir=config.request_dir("DSR-OLD")))

    page.goto(f"{base}/login")
    shoot(page, repo, "login")
    page.fill("input[name=name]", OFFICER)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.narrow button[type=submit]")
    page.wait_for_url(f"{base}/")
    cookie = next(c for c in context.cookies() if c["name"] == "governance_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    page.click("text=Run the check now")
    page.wait_for_selector("svg.chart")
    shoot(page, repo, "dashboard")

    page.goto(f"{base}/inventory")
    assert page.locator("a[href^='/inventory/source/0#L']").count() >= 11
    shoot(page, repo, "inventory")

    page.goto(f"{base}/requests")
    for request_id in ids.values():
        assert page.locator(f"a[href='/requests/{request_id}']").count() == 1
    overdue = page.locator("tr.overdue")
    assert overdue.count() == 1 and "DSR-OLD" in overdue.inner_text()
    assert overdue.evaluate("e => getComputedStyle(e).color") == "rgb(179, 38, 30)"  # red
    shoot(page, repo, "queue")

    deletion = ids["en"]
    page.goto(f"{base}/requests/{deletion}")
    assert "17 change(s)" in page.inner_text("section.plan")
    shoot(page, repo, "request-plan")
    page.click("button.primary")
    page.wait_for_selector("p.ok")
    assert page.inner_text("dd.status") == "completed"
    shoot(page, repo, "request-done")
    with sqlite3.connect(config.base_dir / "shop.db") as db:
        first_name, email = db.execute("SELECT first_name, email FROM customers WHERE id = 3").fetchone()
    assert first_name != "Cara" and email != CARA

    with page.expect_download() as info:
        page.click(f"a[href='/requests/{deletion}/letters/deletion-letter.html?download=1']")
    letter = info.value
    assert letter.suggested_filename == f"{deletion}-deletion-letter.html"
    text = open(letter.path(), encoding="utf-8").read()
    assert deletion in text and CARA not in text

    assert watch.problems == []
    context.close()
