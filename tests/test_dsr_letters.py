"""Golden files of every response letter, rendered for the bundled example with a fixed date and request id.

Run ``pytest tests/test_dsr_letters.py --update-golden`` after an intended change and review the diff.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from golden import assert_golden
from letters_support import NAMES, REPO, SUBJECT, example_letters, golden_name

from governance.dsr import service

from governance.dsr.letters import LETTERS, render_letter

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "fixtures" / "dsr" / "golden"
LANGS = ("en", "fa", "vi")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{language: {letter file name: text}}, each language run once on its own copy of the example."""
    cache: dict[str, dict[str, str]] = {}

    def get(lang: str) -> dict[str, str]:
        if lang not in cache:
            cache[lang] = example_letters(tmp_path_factory.mktemp(f"example-{lang}"), lang)
        return cache[lang]

    return get


@pytest.fixture(scope="module")
def letters(rendered):
    """The English letters: {letter file name: text}."""
    return rendered("en")


def test_every_letter_kind_is_rendered(letters):
    assert len(LETTERS) == 5
    assert set(letters) >= set(NAMES)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_letter_matches_golden_file(rendered, name, lang, update_golden):
    """English letters in ``access-letter.md``, the others beside them in ``access-letter.fa.md`` etc."""
    text = rendered(lang)[name]
    assert_golden(GOLDEN / golden_name(name, lang), text, update_golden, localised=lang != "en")


@pytest.mark.parametrize("lang", LANGS)
def test_letters_never_show_the_raw_identifier(rendered, lang):
    for text in rendered(lang).values():
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


@pytest.mark.parametrize(("lang", "right", "complaint", "acknowledge_by"), [
    ("en", "to view your personal data, and to correct it", "Law 91/2025/QH15 Art. 4(1)(đ)", "2026-11-24"),
    ("vi", "xem, chỉnh sửa hoặc yêu cầu chỉnh sửa dữ liệu cá nhân", "điểm đ khoản 1 Điều 4 Luật số 91/2025/QH15",
     "24 tháng 11, 2026"),
])
def test_a_vietnam_request_states_the_rights_of_law_91_2025(tmp_path, lang, right, complaint, acknowledge_by):
    """A request under Vietnam's law lists its Art. 4(1) rights and deadlines, not another law's."""
    shutil.copytree(REPO / "policies" / "example", tmp_path / "example")
    opts = service.RequestOptions(subject=[SUBJECT], inventory=tmp_path / "example", ledger=tmp_path / "ledger.db",
                                  output_dir=tmp_path / "out", received=date(2026, 11, 20), today=date(2026, 11, 20),
                                  request_id="DSR-20261120-VN", jurisdiction="VN", lang=lang)
    letters = {p.name: p.read_text() for p in service.access(opts).files if p.name.endswith("letter.md")}
    text = "\n".join(letters.values())
    assert right in text and complaint in text
    assert "7704" not in text and "Federal Trade Commission" not in text and "Art. 77" not in text
    assert acknowledge_by in letters["acknowledgement-letter.md"]  # two weekdays after Friday 2026-11-20
