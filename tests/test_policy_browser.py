"""The HTML privacy policy in a real headless Chromium (Debian's `chromium` package).

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
NUL-separated JSON on file descriptors 3 and 4), so no WebSocket client is needed.
The test proves the page loads with no console message, exception or failed
request, loads nothing from outside the file, that every table-of-contents link
targets an element that exists and scrolls to it, and that the print stylesheet
hides the navigation; it saves a screenshot to test-artifacts/policy.png.
The Persian page (and a Persian response letter) must lay out right to left with every
Latin-script run (e-mail, URL, company name, citation) isolated and read left to right;
the Vietnamese page left to right. Screenshots: test-artifacts/policy-fa.png,
policy-vi.png and dsr-letter-fa.png.

Without Chromium the tests skip, unless GOVERNANCE_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path

import browser_support
import pytest
from letters_support import example_letters
from policy_support import EXAMPLE

from governance.inventory.loader import load_inventory
from governance.policy.render import render_policy

pytestmark = pytest.mark.browser

FLAGS = [*browser_support.FLAGS, "--remote-debugging-pipe"]


def _above_4(fd: int) -> int:
    """The same pipe end on a descriptor above 4, so the shell can move it to 3 or 4 without a clash."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class Browser:
    """A headless Chromium with one page, spoken to over the DevTools pipe."""

    def __init__(self, binary: str, profile: Path):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        to_child_r, from_child_w = _above_4(to_child_r), _above_4(from_child_w)
        # The child reads commands on fd 3 and writes replies on fd 4; bash moves the pipe ends there
        # (POSIX sh only guarantees single-digit descriptors in redirections).
        wire = f'exec "$0" "$@" 3<&{to_child_r} 4>&{from_child_w} {to_child_r}<&- {from_child_w}>&-'
        self.proc = subprocess.Popen(["bash", "-c", wire, binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, pass_fds=(to_child_r, from_child_w))
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        self.session = None
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]

    def _read(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, timeout: float = 30, **params) -> dict:
        """Send one command (to the page once attached) and return its result; events are kept."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(self._read(max(0.1, deadline - time.monotonic())))

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def open(self, url: str, width: int = 1200, height: int = 900) -> None:
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def problems(self) -> list[str]:
        """Console messages, uncaught exceptions, log errors and failed requests seen so far."""
        out = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled":
                out.append(f"console.{params['type']}: " + " ".join(str(a.get('value', a.get('description')))
                                                                    for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                out.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                out.append(f"log {params['entry']['level']}: {params['entry']['text']}")
            elif method == "Network.loadingFailed":
                out.append(f"request failed: {params.get('errorText')}")
        return out

    def requested_urls(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def screenshot(self, path: Path, full_page: bool = True) -> None:
        params = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params.update(captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", **params)["data"]))

    def close(self) -> None:
        try:
            self.session = None
            self.call("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


@pytest.fixture
def browser(tmp_path):
    b = Browser(browser_support.chromium(), tmp_path / "profile")
    try:
        yield b
    finally:
        b.close()


def _policy_page(directory: Path, lang: str = "en") -> Path:
    page = directory / f"privacy.{lang}.html"
    page.write_text(render_policy(load_inventory(EXAMPLE), "html", lang=lang), encoding="utf-8")
    return page


@pytest.fixture
def policy_page(tmp_path) -> Path:
    return _policy_page(tmp_path)


TOC_CHECK = """
(() => {
  const links = [...document.querySelectorAll('nav a[href^="#"]')];
  return links.map(a => {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    const target = document.getElementById(id);
    a.click();
    const top = target ? target.getBoundingClientRect().top : null;
    return {id, text: a.textContent.trim(), exists: !!target,
            targeted: document.querySelector(':target') === target, top,
            heading: target ? (target.querySelector('h2') || {}).textContent : null};
  });
})()
"""


def _assert_toc_works(browser) -> None:
    links = browser.evaluate(TOC_CHECK)
    assert len(links) == 16 and links[0]["id"] == "who-we-are" and links[-1]["id"] == "contact-us"
    for link in links:
        assert link["exists"] and link["targeted"], link
        assert link["heading"].endswith(link["text"]), link
        assert abs(link["top"]) < 2 or link["id"] in ("changes", "contact-us"), link  # the last ones cannot reach the top
    assert browser.evaluate("location.hash") == "#contact-us"


def test_policy_page_in_headless_chromium(browser, policy_page, repo):
    browser.open(policy_page.as_uri())
    assert browser.problems() == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in browser.requested_urls()), browser.requested_urls()
    assert browser.evaluate("document.documentElement.lang") == "en"
    assert browser.evaluate("document.title") == "Privacy policy of Corner Bloom"
    assert browser.evaluate("document.querySelectorAll('h1').length") == 1
    assert browser.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id).length === "
                            "new Set([...document.querySelectorAll('[id]')].map(e => e.id)).size")

    browser.screenshot(repo / "test-artifacts" / "policy.png")
    browser.screenshot(repo / "test-artifacts" / "policy-top.png", full_page=False)

    _assert_toc_works(browser)

    browser.call("Emulation.setEmulatedMedia", media="print")
    assert browser.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    assert browser.problems() == []


#: text nodes with Latin letters or ASCII digits that are not inside an isolated left-to-right element
UNISOLATED_LATIN = """
(() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!/[A-Za-z0-9]/.test(n.data) || el.closest('style, script')) continue;
    const box = el.closest('bdi, [dir="ltr"]');
    if (!box || getComputedStyle(box).direction !== 'ltr' || getComputedStyle(box).unicodeBidi !== 'isolate')
      out.push(n.data.trim().slice(0, 80));
  }
  return out;
})()
"""

#: where the characters of the first text node containing ``needle`` are drawn, line by line
GLYPHS = """
((needle) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const at = n.data.indexOf(needle);
    if (at < 0) continue;
    const lines = {};
    for (let i = at; i < at + needle.length; i++) {
      const range = document.createRange();
      range.setStart(n, i); range.setEnd(n, i + 1);
      const r = range.getBoundingClientRect();
      if (r.width === 0) continue;
      (lines[Math.round(r.top)] = lines[Math.round(r.top)] || []).push(r.left);
    }
    const el = n.parentElement;
    return {lines: Object.values(lines), direction: getComputedStyle(el).direction, tag: el.tagName.toLowerCase()};
  }
  return null;
})(%s)
"""


#: isolates written between brackets of the sentence, ``(<bdi>GDPR Art. 6(1)(b)</bdi>)``, on one line: in a
#: right-to-left sentence the opening bracket must be drawn to the right of the isolate, the closing one to its left
BRACKETED_ISOLATES = """
(() => {
  const glyph = (n, i) => { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                            return r.getBoundingClientRect(); };
  const wrong = []; let checked = 0;
  for (const b of document.querySelectorAll('bdi')) {
    const prev = b.previousSibling, next = b.nextSibling;
    if (!prev || !next || prev.nodeType !== 3 || next.nodeType !== 3) continue;
    if (!prev.data.endsWith('(') || !next.data.startsWith(')') || b.getClientRects().length !== 1) continue;
    const box = b.getBoundingClientRect(), open = glyph(prev, prev.data.length - 1), close = glyph(next, 0);
    checked++;
    if (!(open.left >= box.right - 1 && close.right <= box.left + 1)) wrong.push(b.textContent);
  }
  return {checked, wrong};
})()
"""


def _reads_left_to_right(browser, needle: str) -> None:
    """``needle`` is drawn in an isolated left-to-right box, each of its lines from left to right."""
    glyphs = browser.evaluate(GLYPHS % json.dumps(needle))
    assert glyphs is not None, f"{needle!r} is not on the page"
    assert glyphs["direction"] == "ltr" and glyphs["tag"] == "bdi", glyphs
    assert max(len(line) for line in glyphs["lines"]) > 1, glyphs
    for line in glyphs["lines"]:
        assert line == sorted(line), f"{needle!r} is not drawn left to right: {glyphs}"


def _assert_direction(browser, lang: str, direction: str, selectors=("body", "main", "h1")) -> None:
    assert browser.evaluate("document.documentElement.lang") == lang
    for selector in selectors:
        got = browser.evaluate(f"getComputedStyle(document.querySelector('{selector}')).direction")
        assert got == direction, (selector, got)


def test_persian_policy_page_is_right_to_left(browser, tmp_path, repo):
    browser.open(_policy_page(tmp_path, "fa").as_uri())
    assert browser.problems() == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in browser.requested_urls()), browser.requested_urls()
    _assert_direction(browser, "fa", "rtl")
    assert browser.evaluate("document.documentElement.dir") == "rtl"
    assert browser.evaluate("document.title") == "سیاست حفظ حریم خصوصی Corner Bloom"
    assert browser.evaluate("document.querySelectorAll('h1').length") == 1
    browser.screenshot(repo / "test-artifacts" / "policy-fa.png")
    browser.screenshot(repo / "test-artifacts" / "policy-fa-top.png", full_page=False)

    # the Persian words of the title start at the right; the company name sits to their left
    h1 = browser.evaluate("""(() => { const h = document.querySelector('h1'), b = h.querySelector('bdi');
        const r = document.createRange(); r.setStart(h.firstChild, 0); r.setEnd(h.firstChild, 1);
        return {first: r.getBoundingClientRect().right, name: b.getBoundingClientRect().right,
                right: h.getBoundingClientRect().right}; })()""")
    assert h1["name"] < h1["first"] and abs(h1["first"] - h1["right"]) < 2, h1

    assert browser.evaluate(UNISOLATED_LATIN) == []
    bracketed = browser.evaluate(BRACKETED_ISOLATES)
    assert bracketed["wrong"] == [] and bracketed["checked"] >= 10, bracketed
    for needle in ("privacy@cornerbloom.example", "https://cornerbloom.example", "Corner Bloom Flowers & Gifts LLC",
                   "+1 217-555-0142", "GDPR Art. 6(1)(b)"):
        _reads_left_to_right(browser, needle)
    assert browser.evaluate("[...document.querySelectorAll('a[href^=\"mailto:\"]')].every(a => a.querySelector('bdi'))")

    _assert_toc_works(browser)
    browser.call("Emulation.setEmulatedMedia", media="print")
    assert browser.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    assert browser.problems() == []


def test_vietnamese_policy_page_is_left_to_right(browser, tmp_path, repo):
    browser.open(_policy_page(tmp_path, "vi").as_uri())
    assert browser.problems() == []
    _assert_direction(browser, "vi", "ltr")
    assert browser.evaluate("document.title") == "Chính sách quyền riêng tư của Corner Bloom"
    assert browser.evaluate("document.querySelectorAll('bdi').length") == 0  # nothing to isolate on a left-to-right page
    browser.screenshot(repo / "test-artifacts" / "policy-vi.png")
    _assert_toc_works(browser)
    assert browser.problems() == []


def test_persian_letter_is_right_to_left(browser, tmp_path, repo):
    letter = tmp_path / "access-letter.fa.html"
    letter.write_text(example_letters(tmp_path, "fa")["access-letter.html"], encoding="utf-8")
    browser.open(letter.as_uri(), width=900)
    assert browser.problems() == []
    _assert_direction(browser, "fa", "rtl", ("body", "article", "h1"))
    assert browser.evaluate(UNISOLATED_LATIN) == []
    bracketed = browser.evaluate(BRACKETED_ISOLATES)
    assert bracketed["wrong"] == [] and bracketed["checked"] >= 5, bracketed
    for needle in ("privacy@cornerbloom.example", "DSR-20261102-ACCESS", "Corner Bloom Flowers & Gifts LLC"):
        _reads_left_to_right(browser, needle)
    browser.screenshot(repo / "test-artifacts" / "dsr-letter-fa.png")


def test_console_errors_and_exceptions_are_caught(browser, tmp_path):
    """The harness itself: a page that logs an error and throws must be reported."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html lang='en'><title>x</title><script>console.error('boom');"
                    "undefinedFunction();</script></html>")
    browser.open(page.as_uri())
    problems = browser.problems()
    assert any("console.error: boom" in p for p in problems), problems
    assert any(p.startswith("exception:") for p in problems), problems
