"""The privacy policy rendered from the inventory: golden output, completeness, injection, overrides."""

from __future__ import annotations

import copy
import re

import pytest
import yaml
from golden import assert_golden
from policy_support import (
    EXAMPLE,
    enable_every_disclosure,
    example_data,
    write_inventory,
)

from governance.errors import ConfigError
from governance.inventory.loader import load_inventory
from governance.policy.completeness import check_completeness
from governance.policy.context import build_context, humanize_duration
from governance.policy.render import markdown_escape, render_policy
from governance.policy.requirements import (
    FACTS,
    disclosures,
    language,
    load_disclosures,
    missing_locations,
    parse_path,
)
from governance.taxonomy import data_categories

GOLDEN = "policy/golden"


def _golden(fixtures, name: str, text: str, update: bool) -> None:
    assert_golden(fixtures / GOLDEN / name, text, update, localised=name.count(".") > 1)


# --- golden documents ----------------------------------------------------------------------------

def test_example_markdown_matches_golden(fixtures, update_golden):
    _golden(fixtures, "example.md", render_policy(load_inventory(EXAMPLE)), update_golden)


@pytest.mark.parametrize("lang", ["fa", "vi"])
def test_example_markdown_in_persian_and_vietnamese_matches_golden(fixtures, update_golden, lang):
    """The same policy with the catalog's wording, dates and digits (``--lang fa|vi``)."""
    _golden(fixtures, f"example.{lang}.md", render_policy(load_inventory(EXAMPLE), lang=lang), update_golden)


def test_children_variant_markdown_matches_golden(fixtures, update_golden, tmp_path):
    """COPPA, DPO, under-16 sales and the right to limit: the sections the example does not trigger."""
    path = write_inventory(enable_every_disclosure(example_data()), tmp_path)
    _golden(fixtures, "children-variant.md", render_policy(load_inventory(path)), update_golden)


# --- completeness --------------------------------------------------------------------------------

def test_bundled_example_is_complete():
    loaded = load_inventory(EXAMPLE)
    assert check_completeness(loaded) == []
    text = render_policy(loaded)
    for section in build_context(loaded).sections:
        assert f'<a id="{section.id}"></a>{section.number}. {section.title}' in text.replace("\\", "")


def test_enabled_variant_is_complete_and_every_disclosure_applies(enabled):
    loaded = enabled[1]
    assert check_completeness(loaded) == []
    assert [d.id for d in disclosures() if not d.applies(loaded.inventory)] == []


def _removals():
    for d in disclosures():
        for i, key in enumerate(d.keys):
            yield pytest.param(d, key, id=f"{d.id}-key{i}")


def _delete(data: dict, loaded, path: str) -> None:
    """Delete ``path`` from raw inventory data; a filtered list step deletes in the first matching item."""
    node, model = data, loaded.inventory
    segments = parse_path(path)
    for seg in segments[:-1]:
        if seg.filter is not None:
            index = next(i for i, item in enumerate(getattr(model, seg.name)) if seg.matches(item))
            node, model = node[seg.name][index], getattr(model, seg.name)[index]
        else:
            node, model = node[seg.name], getattr(model, seg.name)
    node.pop(segments[-1].name, None)
    if path == "purposes":  # the loader rejects references to purposes that no longer exist
        for ds in data["datasets"]:
            for fld in ds["fields"]:
                fld.pop("purposes", None)
        for rec in data["recipients"]:
            rec.pop("purposes", None)


@pytest.fixture(scope="module")
def enabled(tmp_path_factory):
    """The example with every conditional disclosure switched on: (raw data, loaded inventory)."""
    data = enable_every_disclosure(example_data())
    return data, load_inventory(write_inventory(data, tmp_path_factory.mktemp("enabled")))


@pytest.mark.parametrize(("disclosure", "key"), list(_removals()))
def test_removing_a_key_names_the_missing_disclosure(disclosure, key, enabled, tmp_path):
    base, loaded = enabled
    data = copy.deepcopy(base)
    for path in key.paths:
        _delete(data, loaded, path)
    violations = check_completeness(load_inventory(write_inventory(data, tmp_path)))
    named = [v for v in violations if v.rule.id == disclosure.rule_id]
    assert named, f"removing {key.label()} did not flag {disclosure.id}; got {[v.rule.id for v in violations]}"
    v = named[0]
    assert v.rule.citation == disclosure.citation and v.rule.pack == "disclosures"
    assert disclosure.title in v.message and disclosure.citation in v.message
    assert re.search(r"inventory\.yaml(:\d+)?$", v.location)
    root = key.paths[0].split(".")[0].split("[")[0]
    assert v.target.startswith(root)


def test_keyless_disclosures_are_stated_from_the_inventory():
    text = render_policy(load_inventory(EXAMPLE))
    assert "We do not make decisions about you based solely on automated processing" in text  # GDPR 13(2)(f)
    for label in ("Right to know", "Right to delete", "Right to correct", "Right to non-discrimination"):
        assert f"**{label}**" in text  # 11 CCR 7011(e)(2)


# --- the catalogue and wording data --------------------------------------------------------------

def test_catalogue_is_well_formed_and_cited():
    sections = {s["id"] for s in language()["sections"]} | {"header"}
    laws = {"GDPR", "CCPA", "CalOPPA", "COPPA", "HIPAA"}
    inv = load_inventory(EXAMPLE).inventory
    for d in disclosures():
        assert d.citation and d.text and d.law in laws, d.id
        assert d.section in sections, d.id
        assert set(d.when) <= set(FACTS)
        for key in d.keys:
            for path in key.paths if key.kind != "declared" else ():
                missing_locations(inv, path)  # every path resolves against the model
    expected = {"GDPR Art. 13(1)(a)", "GDPR Art. 13(1)(f)", "GDPR Art. 13(2)(f)", "GDPR Art. 13(3)",
                "11 CCR 7011(e)(1)(A)", "11 CCR 7011(e)(3)(F)", "11 CCR 7011(e)(4)",
                "Cal. Bus. & Prof. Code 22575(b)(5)", "Cal. Bus. & Prof. Code 22575(b)(6)", "16 CFR 312.4(d)(1)"}
    assert expected <= {d.citation for d in disclosures()}


def test_catalogue_errors_name_the_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"disclosures": [
        {"id": "x", "law": "GDPR", "citation": "c", "title": "t", "text": "t", "section": "retention",
         "applies": {"when": ["no_such_fact"]}, "keys": ["notices.do_not_track"]},
        {"id": "y", "law": "GDPR", "citation": "c", "title": "t", "text": "t", "section": "retention",
         "keys": ["datasets[bogus].retention"], "colour": "red"},
    ]}))
    with pytest.raises(ConfigError) as err:
        load_disclosures(bad)
    text = "\n".join(err.value.lines())
    assert "no_such_fact" in text and "colour" in text


def test_wording_data_uses_real_taxonomy_keys():
    keys = set(data_categories())
    for group in language()["category_groups"]:
        assert all(p in keys for p in group["prefixes"]), group["key"]
    assert all(p in keys for p in language()["sensitive_categories"])
    assert all(c in keys for c in language()["example_labels"])


@pytest.mark.parametrize(("period", "text"), [("P6Y", "6 years"), ("P1Y", "1 year"), ("P90D", "90 days"),
                                              ("P1Y6M", "1 year and 6 months"), ("PT12H", "PT12H")])
def test_humanize_duration(period, text):
    assert humanize_duration(period) == text


# --- template injection --------------------------------------------------------------------------

PAYLOAD = "{{ 7*7 }} {% for x in [1,2] %}LOOP{% endfor %} <script>alert(1)</script> {{ ''.__class__.__mro__ }}"


@pytest.fixture
def injected(tmp_path):
    data = example_data()
    data["organization"]["name"] = "Bloom " + PAYLOAD
    data["organization"]["legal_name"] = PAYLOAD
    data["purposes"][0]["description"] = "Deliver orders " + PAYLOAD
    data["notices"]["do_not_track"] = "[click](javascript:alert(1)) " + PAYLOAD
    return load_inventory(write_inventory(data, tmp_path))


def test_inventory_text_cannot_run_template_code_or_inject_html(injected):
    page = render_policy(injected, "html")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page and "{% for x in [1,2] %}LOOP{% endfor %}" in page
    assert "49" not in page and "LOOPLOOP" not in page and "<class" not in page and "&lt;class" not in page
    assert page.count("<script") == 0


def test_inventory_text_is_inert_in_markdown(injected):
    text = render_policy(injected, "markdown")
    assert "<script" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "{{ 7\\*7 }}" in text and "LOOP" in text and "LOOPLOOP" not in text
    assert "49" not in text and "<class" not in text
    assert "[click](javascript" not in text and "\\[click\\](javascript:alert(1))" in text


@pytest.mark.parametrize(("value", "escaped"), [
    ("a *b* _c_", "a \\*b\\* \\_c\\_"),
    ("x\n# heading", "x \\# heading"),
    ("# heading", "\\# heading"),  # would open a heading at the start of a line, or close one at its end
    ("1. item", "1\\. item"),  # would open a list at the start of a line
    ("- item", "\\- item"),
    ("+1 217-555-0142", "+1 217-555-0142"),
    ("<b>&amp;</b> & co", "&lt;b&gt;&amp;amp;&lt;/b&gt; & co"),
    ("a | b", "a \\| b"),
])
def test_markdown_escape(value, escaped):
    assert markdown_escape(value) == escaped


# --- user templates ------------------------------------------------------------------------------

def test_a_user_section_template_replaces_the_built_in_one(tmp_path):
    sections = tmp_path / "policy" / "sections"
    sections.mkdir(parents=True)
    (sections / "children.md.j2").write_text(
        '{% set section = policy.section("children") %}\n## <a id="children"></a>{{ section.number }}. Kids\n\n'
        "Our own children's wording for {{ policy.organization.name }}.\n\n")
    text = render_policy(load_inventory(EXAMPLE), template_dir=tmp_path)
    assert "9. Kids" in text and "Our own children's wording for Corner Bloom." in text
    assert "not directed to children under 13" not in text
    assert "## <a id=\"health\"></a>10. Health information" in text


def test_a_user_template_can_override_one_block(tmp_path):
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "policy.html.j2").write_text(
        '{% extends "policy/base.html.j2" %}{% block security %}<section id="security">'
        "<h2>Security by {{ policy.organization.name }}</h2></section>{% endblock %}")
    page = render_policy(load_inventory(EXAMPLE), "html", template_dir=tmp_path)
    assert "<h2>Security by Corner Bloom</h2>" in page and "least privilege" not in page
    assert '<section id="retention"' in page


def test_a_user_template_cannot_escape_the_sandbox(tmp_path):
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "policy.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(ConfigError) as err:
        render_policy(load_inventory(EXAMPLE), template_dir=tmp_path)
    assert "policy.md.j2" in str(err.value)


# --- PDF -----------------------------------------------------------------------------------------

def test_pdf_renders_or_names_the_extra():
    loaded = load_inventory(EXAMPLE)
    try:
        import xhtml2pdf  # noqa: F401
    except ImportError:
        with pytest.raises(Exception, match=r"governance\[pdf\]"):
            render_policy(loaded, "pdf")
        return
    pdf = render_policy(loaded, "pdf")
    assert pdf.startswith(b"%PDF-")
    import io

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Privacy policy of Corner Bloom" in text and "Do Not Track" in text
