"""The gettext catalogs: the template is current, every message is translated, placeholders survive.

- ``governance/locale/governance.pot`` holds exactly what Babel extracts from the sources
  named in ``babel.cfg`` (the documented ``pybabel extract`` run again);
- every catalog translates every message: no missing, empty, fuzzy or obsolete entry;
- each translation keeps the placeholders of its message (``%(name)s``, ``{name}``) and
  formats with them;
- rendering the policy and every letter in each language only looks up messages the
  catalog translates (a recording fallback catches any that reach English);
- the Persian and Vietnamese policies satisfy the policy check in their own language.
"""

from __future__ import annotations

import gettext
import importlib
import io
import re

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from babel.support import Translations
from letters_support import NAMES, example_letters
from policy_support import EXAMPLE, enable_every_disclosure, example_data, write_inventory

from governance.i18n import available_languages
from governance.i18n.catalog import DOMAIN, LOCALE_DIR, catalog_path, compile_catalog
from governance.inventory.loader import load_inventory
from governance.policy.contradictions import check_contradictions
from governance.policy.render import render_policy

localizer_module = importlib.import_module("governance.i18n.localizer")  # the package re-exports a function of that name
LANGS = [lang for lang in available_languages() if lang != "en"]
#: a %-placeholder (named or not) or an escaped percent sign; a str.format field
PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]")
BRACE = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^{}]*)?\}(?!\})")


def _read(path, locale=None):
    with open(path, "rb") as fh:
        return read_po(fh, locale=locale, domain=DOMAIN)


def _key(message) -> tuple:
    return message.context, message.id


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _placeholders(text: str) -> tuple[set[str], set[str]]:
    named = {m.group(1) for m in PERCENT.finditer(text) if m.group(1)}
    return named, {m.group(1) for m in BRACE.finditer(text)}


@pytest.fixture(scope="module")
def template():
    return _read(LOCALE_DIR / "governance.pot")


@pytest.fixture(scope="module", params=LANGS)
def catalog(request):
    return request.param, _read(catalog_path(request.param), request.param)


def test_languages_are_found_from_the_catalogs():
    assert available_languages() == ("en", "fa", "vi")


def test_template_is_up_to_date_with_the_sources(template, repo, tmp_path, monkeypatch):
    """Extract again as babel.cfg documents; the messages, plurals, flags and notes must be the committed ones."""
    out = tmp_path / "fresh.pot"
    monkeypatch.chdir(repo)
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-o", str(out), "--no-location",
                                "--sort-output", "-w", "100", "--add-comments", "NOTE:", "."])
    fresh = _read(out)

    def summary(cat):
        return {_key(m): (_ids(m), sorted(m.flags), m.auto_comments) for m in cat if m.id}

    got, committed = summary(fresh), summary(template)
    assert set(got) - set(committed) == set(), "messages missing from governance.pot: run the extract in babel.cfg"
    assert set(committed) - set(got) == set(), "stale messages in governance.pot: run the extract in babel.cfg"
    assert got == committed
    assert len(got) > 500


def test_every_message_is_translated(catalog, template):
    lang, cat = catalog
    expected = {_key(m) for m in template if m.id}
    have = {_key(m) for m in cat if m.id}
    assert expected - have == set(), f"{lang}: run pybabel update (see governance/locale/README.md)"
    assert have - expected == set(), f"{lang}: entries no longer in governance.pot"
    empty = [m.id for m in cat if m.id and not all(_strings(m))]
    fuzzy = [m.id for m in cat if m.id and m.fuzzy]
    assert empty == [] and fuzzy == []
    assert list(cat.obsolete) == []
    assert cat.num_plurals == 1  # neither Persian nor Vietnamese inflects nouns for number after a numeral
    assert all(len(_strings(m)) == cat.num_plurals for m in cat if m.id and m.pluralizable)


def test_placeholders_match_and_format(catalog):
    lang, cat = catalog
    problems = []
    for m in cat:
        if not m.id:
            continue
        wanted = [_placeholders(i) for i in _ids(m)]
        named = set().union(*(w[0] for w in wanted))
        braces = set().union(*(w[1] for w in wanted))
        for s in _strings(m):
            if _placeholders(s) != (named, braces):
                problems.append(f"{m.id!r}: {s!r} has {_placeholders(s)}, expected {(named, braces)}")
            if m.python_format:
                values = {n: "X" for n in named}
                try:
                    s % values
                except (KeyError, ValueError, TypeError) as exc:
                    problems.append(f"{m.id!r}: {s!r} does not format: {exc!r}")
    assert problems == [], f"{lang}:\n" + "\n".join(problems)
    assert [err for _m, errs in cat.check() for err in errs] == []  # Babel's own checkers


def test_separators_fit_the_script(catalog):
    lang, cat = catalog
    comma = cat.get(", ", context="list separator").string
    semicolon = cat.get("; ", context="clause separator").string
    assert (comma, semicolon) == {"fa": ("، ", "؛ "), "vi": (", ", "; ")}[lang]


def test_vietnamese_uses_the_terms_of_law_91_2025():
    """Law on Personal Data Protection 91/2025/QH15, Art. 2 (definitions): dữ liệu cá nhân, chủ thể dữ liệu cá nhân,
    bên kiểm soát / bên xử lý dữ liệu cá nhân (https://vietnamlawmagazine.vn/terms-in-the-2025-law-on-personal-data-protection-78671.html)."""
    cat = _read(catalog_path("vi"), "vi")
    for m in cat:
        for source, s in zip(_ids(m), _strings(m)):
            if "data subject" in source:
                assert "chủ thể dữ liệu cá nhân" in s, s
            if re.search(r"\bcontroller\b", source):
                assert "bên kiểm soát dữ liệu cá nhân" in s, s
            if "personal data" in source.lower():
                assert "dữ liệu cá nhân" in s.lower(), s
    assert cat.get("processor").string == "bên xử lý dữ liệu cá nhân"


# --- every lookup made while rendering is translated ---------------------------------------------

class _Misses(gettext.NullTranslations):
    """The fallback of a real catalog: records each message the catalog did not translate."""

    def __init__(self, seen: list):
        super().__init__()
        self.seen = seen

    def gettext(self, message):
        if message:
            self.seen.append(message)
        return message

    def ngettext(self, singular, plural, n):
        self.seen.append(singular)
        return singular if n == 1 else plural

    def pgettext(self, context, message):
        self.seen.append(f"{context}|{message}")
        return message

    def npgettext(self, context, singular, plural, n):
        self.seen.append(f"{context}|{singular}")
        return singular if n == 1 else plural


@pytest.fixture
def misses(monkeypatch):
    """Messages looked up but missing from the catalog while the test runs."""
    seen: list[str] = []

    def recording(lang):
        if lang == "en":
            return gettext.NullTranslations()
        real = Translations(io.BytesIO(compile_catalog(catalog_path(lang))), domain=DOMAIN)
        real.add_fallback(_Misses(seen))
        return real

    localizer_module.localizer.cache_clear()
    monkeypatch.setattr(localizer_module, "translations", recording)
    yield seen
    localizer_module.localizer.cache_clear()


def test_the_recording_fallback_sees_untranslated_messages(misses):
    """The harness itself: a message the catalog lacks is recorded, a translated one is not."""
    loc = localizer_module.localizer("fa")
    assert loc.gettext("Date:") != "Date:"
    assert loc.gettext("No catalog has this sentence.") == "No catalog has this sentence."
    assert loc.pgettext("list separator", "; ") == "; "
    assert misses == ["No catalog has this sentence.", "list separator|; "]


@pytest.mark.parametrize("lang", LANGS)
def test_rendering_the_policy_looks_up_only_translated_messages(lang, misses, tmp_path):
    every = load_inventory(write_inventory(enable_every_disclosure(example_data()), tmp_path))
    for loaded in (load_inventory(EXAMPLE), every):
        for fmt in ("markdown", "html"):
            assert render_policy(loaded, fmt, lang=lang)
    policy = render_policy(every, "markdown", lang=lang)
    check_contradictions(every, policy, "policy", lang)
    assert sorted(set(misses)) == []


@pytest.mark.parametrize("lang", LANGS)
def test_writing_every_letter_looks_up_only_translated_messages(lang, misses, tmp_path):
    assert set(NAMES) <= set(example_letters(tmp_path, lang))
    assert sorted(set(misses)) == []


@pytest.mark.parametrize("lang", LANGS)
def test_rendered_policy_passes_the_check_in_its_language(lang):
    """The policy we write in Persian or Vietnamese contradicts nothing, read with that language's words."""
    loaded = load_inventory(EXAMPLE)
    assert check_contradictions(loaded, render_policy(loaded, "markdown", lang=lang), "policy", lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_privacy_center_pages_and_code_email_look_up_only_translated_messages(lang, misses, tmp_path):
    """Every page of the customer flow of `governance serve`, and the one-time-code e-mail, in each language."""
    from starlette.testclient import TestClient
    from web_support import CODE, csrf_of, start_sink, workspace

    from governance.web.app import State, create_app

    State.env.cache_clear()
    controller, sink = start_sink()
    try:
        with TestClient(create_app(workspace(tmp_path / "shop", controller.port)), base_url="https://testserver") as c:
            token = csrf_of(c.get(f"/privacy-center?lang={lang}").text)
            bad = c.post("/privacy-center", data={"csrf": token, "lang": lang, "type": "x", "jurisdiction": "x",
                                                  "email": "x", "note": ""})
            assert bad.status_code == 400
            sent = c.post("/privacy-center", data={"csrf": token, "lang": lang, "type": "correct",
                                                   "jurisdiction": "GDPR", "email": "ann@example.com", "note": ""},
                          follow_redirects=False)
            verify = sent.headers["location"]
            code = CODE.search(sink.messages[-1].get_content())[1]
            wrong = c.post(verify.split("?")[0], data={"csrf": token, "lang": lang, "code": "x"})
            assert wrong.status_code == 400
            done = c.post(verify.split("?")[0], data={"csrf": token, "lang": lang, "code": code})
            assert done.status_code == 200 and lang in done.text
            assert c.get(f"{verify}").status_code == 404  # the expired page
        with TestClient(create_app(workspace(tmp_path / "off", None)), base_url="https://testserver") as c:
            assert c.get(f"/privacy-center?lang={lang}").status_code == 503
    finally:
        controller.stop()
        State.env.cache_clear()
    assert sink.messages[-1]["Subject"] != "Your code for Test Shop"
    assert sorted(set(misses)) == []
