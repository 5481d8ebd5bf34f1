"""Inventory text in Persian or Vietnamese cannot inject markup into the localized policy or letters.

The organisation's name and a purpose's description are replaced by generated text
(Persian and Vietnamese letters mixed with HTML, Jinja and Markdown syntax). Whatever
the text, the rendered document has the same element structure as with plain text
(``<bdi>`` isolates of right-to-left pages aside), shows the text itself, and runs no
template code: autoescaping and Markdown escaping hold in every language. In the HTML
letters (converted from the letter's unescaped plain-text Markdown) such text adds no
element with attributes, no link, image or script; at most Markdown's own text formatting.
"""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from policy_support import EXAMPLE

from governance.dsr.letters import render_letter
from governance.inventory.loader import load_inventory
from governance.policy.render import render_policy

LANGS = ("en", "fa", "vi")
PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآ\u200c۰۱۲۳۴"
VIETNAMESE = "ăâđêôơưàảãáạằắặầấậèẻẽéẹềếệìỉĩíịòỏõóọồốộờớợùủũúụừứựỳỷỹýỵ"
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{ 7*7 }}", "{% for x in [1,2] %}L{% endfor %}",
          "[x](javascript:alert(1))", "[x](https://evil.example)", "![i](https://evil.example/i.png)", "**", "_", "`",
          "# ", " #", "1. ", "- ", "|", "&amp;", "&lt;b&gt;", '"', "'", "\\", "<!--", "-->", "\n", "%(name)s", "%", "«",
          "»", "(", ")"]
WORDS = st.text(alphabet=PERSIAN + VIETNAMESE + " ", min_size=1, max_size=6)
TEXT = st.lists(st.one_of(WORDS, st.sampled_from(MARKUP)), min_size=1, max_size=8).map("".join).filter(str.strip)

#: fixed payloads, each tried in every language and format
PAYLOADS = [
    "گلفروشی <script>alert('سلام')</script>",
    "Cửa hàng hoa {{ 7*7 }} {% for x in [1,2] %}LOOP{% endfor %}",
    "# گل‌های گوشه",
    "1. Hoa [nhấp](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "«گل» & Co. %(name)s %s ))((",
]


class _Structure(HTMLParser):
    """Elements (with attributes) and text of an HTML document, right-to-left isolates left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "bdi":
            self.tags.append((tag, tuple(attrs)))

    def handle_endtag(self, tag):
        if tag != "bdi":
            self.tags.append(("/" + tag,))

    def handle_data(self, data):
        self.text.append(data)


def _structure(html: str) -> tuple[list[tuple], str]:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    return parser.tags, " ".join("".join(parser.text).split())


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def example():
    return load_inventory(EXAMPLE)


def _with_text(loaded, name: str, purpose: str):
    inv = loaded.inventory
    org = inv.organization.model_copy(update={"name": name, "legal_name": name})
    purposes = [inv.purposes[0].model_copy(update={"description": purpose}), *inv.purposes[1:]]
    return dataclasses.replace(loaded, inventory=inv.model_copy(update={"organization": org, "purposes": purposes}))


def _policy_html(loaded, fmt: str, lang: str) -> str:
    text = render_policy(loaded, fmt, lang=lang)
    # a Markdown policy is published through some Markdown renderer; raw HTML in it would pass through
    return MarkdownIt("commonmark", {"html": True}).render(text) if fmt == "markdown" else text


def _assert_inert_policy(example, name: str, purpose: str, fmt: str, lang: str) -> None:
    plain_tags, _ = _structure(_policy_html(_with_text(example, "Plain", "Plain purpose."), fmt, lang))
    html = _policy_html(_with_text(example, name, purpose), fmt, lang)
    tags, text = _structure(html)
    assert tags == plain_tags, f"{name!r} / {purpose!r} changed the document's elements"
    assert _flat(name) in text and _flat(purpose) in text
    if "{{ 7*7 }}" in name:
        assert "{{ 7*7 }}" in text


@pytest.mark.parametrize("fmt", ["html", "markdown"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_fixed_payloads_are_inert_in_the_policy(example, payload, lang, fmt):
    _assert_inert_policy(example, payload, payload + " (مقصود / mục đích)", fmt, lang)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, purpose=TEXT)
@pytest.mark.parametrize("fmt", ["html", "markdown"])
@pytest.mark.parametrize("lang", ["fa", "vi"])
def test_generated_text_is_inert_in_the_policy(example, lang, fmt, name, purpose):
    _assert_inert_policy(example, name, purpose, fmt, lang)


def _letter_context(example, name: str) -> dict:
    org = example.inventory.organization.model_copy(update={"name": name, "legal_name": None})
    return {"org": org, "notices": {"complaint_authority": None},
            "requests_info": {"methods": [name], "verification": name, "authorised_agents": None},
            "today": "2026-11-03", "subject": ["email=a***@b***.com"], "salutation": name,
            "request": {"id": "R", "type": "access", "type_label": name, "jurisdiction": "GDPR",
                        "jurisdiction_name": "GDPR", "received": "2026-11-02", "verification": "verified",
                        "deadlines": []}}


#: what the Markdown of a letter may make of a line of text (the letter's Markdown is its plain-text form, not escaped)
TEXT_FORMATTING = {"p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "em", "strong", "code", "pre",
                   "blockquote", "hr"}


def _assert_inert_letter(example, name: str, lang: str) -> None:
    plain = _structure(render_letter("acknowledgement", _letter_context(example, "Plain"), lang=lang)["html"])[0]
    tags, text = _structure(render_letter("acknowledgement", _letter_context(example, name), lang=lang)["html"])
    kinds = {t[:2] for t in plain} | {(k, ()) for k in TEXT_FORMATTING}
    injected = [t for t in tags if len(t) > 1 and t[:2] not in kinds]
    assert injected == [], f"{name!r} added elements or attributes to the letter"
    assert not any(k.startswith("on") or k in ("href", "src") for t in tags if len(t) > 1 for k, _ in t[1])
    for line in name.splitlines():  # Markdown may set a line apart, but never drops or runs the text
        for word in line.replace("*", " ").replace("_", " ").replace("`", " ").replace("\\", " ").split():
            assert word.strip("#-.)1") in text or not word.strip("#-.)1")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_fixed_payloads_cannot_inject_html_into_letters(example, payload, lang):
    _assert_inert_letter(example, payload, lang)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT)
@pytest.mark.parametrize("lang", ["fa", "vi"])
def test_generated_text_cannot_inject_html_into_letters(example, lang, name):
    _assert_inert_letter(example, name, lang)
