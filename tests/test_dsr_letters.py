"""Golden files of every response letter, rendered for the bundled example with a fixed date and request id.

Run ``pytest tests/test_dsr_letters.py --update-golden`` after an intended change and review the diff.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from governance.dsr import service
from governance.dsr.letters import LETTERS, render_letter

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "fixtures" / "dsr" / "golden"
SUBJECT = "email=brenda.obrien1@gmail.com"


@pytest.fixture(scope="module")
def letters(tmp_path_factory):
    """Run one request of each type on a copy of the example; return {letter file name: text}."""
    work = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "policies" / "example", work / "example")
    out = {}

    def run(fn, kind, *args, **kw):
        opts = service.RequestOptions(subject=[SUBJECT], inventory=work / "example", ledger=work / "ledger.db",
                                      output_dir=work / kind, received=date(2026, 11, 2), today=date(2026, 11, 3),
                                      request_id=f"DSR-20261102-{kind.upper()}", **kw)
        outcome = fn(opts, *args)
        for path in outcome.files:
            if path.name.endswith(("-letter.md", "-letter.html")):
                out[f"{kind}-{path.name}" if path.name.startswith("ack") else path.name] = path.read_text()

    run(service.access, "access")
    run(service.correct, "correction", ["customers.phone=+1 217 555 0100"])
    run(service.opt_out, "opt-out", jurisdiction="CCPA")
    run(service.delete, "deletion", jurisdiction="GDPR")
    return out


NAMES = [
    "access-acknowledgement-letter.md", "access-acknowledgement-letter.html",
    "access-letter.md", "access-letter.html", "correction-letter.md", "correction-letter.html",
    "opt-out-letter.md", "opt-out-letter.html", "deletion-letter.md", "deletion-letter.html",
]


def test_every_letter_kind_is_rendered(letters):
    assert len(LETTERS) == 5
    assert set(letters) >= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_letter_matches_golden_file(letters, name, update_golden):
    golden = GOLDEN / name
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(letters[name])
    assert golden.exists(), f"no golden file {golden}; run pytest --update-golden"
    assert letters[name] == golden.read_text()


def test_letters_never_show_the_raw_identifier(letters):
    for text in letters.values():
        assert "brenda.obrien1@gmail.com" not in text.lower()
        assert "b***@g***.com" in text


def test_html_letters_escape_text_from_the_inventory():
    from governance.inventory.loader import load_inventory

    org = load_inventory(REPO / "policies" / "example").inventory.organization.model_copy(
        update={"name": "<script>alert(1)</script>", "legal_name": None})
    context = {"org": org, "notices": {"complaint_authority": None}, "requests_info": {"methods": [], "verification": None,
               "authorised_agents": None}, "today": "2026-11-03", "subject": ["email=a***@b***.com"],
               "salutation": "customer",
               "request": {"id": "R", "type": "access", "type_label": "access", "jurisdiction": "GDPR",
                           "jurisdiction_name": "GDPR", "received": "2026-11-02", "verification": "verified",
                           "deadlines": []}}
    html = render_letter("acknowledgement", context)["html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
