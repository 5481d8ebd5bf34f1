"""HTML reporter: one self-contained, accessible page that escapes everything taken from the data."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from report_samples import sample_check, sample_scan

from governance.report import render


class Page(HTMLParser):
    """Collects start tags (with attributes) and text of a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def named(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def page(report, **options) -> tuple[str, Page]:
    out = io.StringIO()
    render(report, "html", out, **options)
    parsed = Page()
    parsed.feed(out.getvalue())
    parsed.close()
    return out.getvalue(), parsed


@pytest.mark.parametrize("make", [sample_scan, sample_check])
def test_page_is_self_contained(make):
    html, parsed = page(make())
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(name) or ""
            assert "//" not in value, f"<{tag} {name}={value!r}> loads an external resource"
        assert not (tag == "link" and "stylesheet" in (attrs.get("rel") or "")), "external stylesheet"
    assert not parsed.named("script"), "the report runs no script"
    assert not parsed.named("img"), "images must be inline SVG"
    assert "@import" not in html and "url(" not in html


@pytest.mark.parametrize("make", [sample_scan, sample_check])
def test_page_is_accessible(make):
    _, parsed = page(make())
    (root,) = parsed.named("html")
    assert root["lang"] == "en"
    assert len(parsed.named("h1")) == 1 and parsed.named("h2")
    assert parsed.named("title")
    headers = parsed.named("th")
    assert headers and all(h.get("scope") in {"col", "row"} for h in headers)
    charts = parsed.named("svg")
    assert charts and all(c.get("role") == "img" and c.get("aria-labelledby") for c in charts)


def test_scan_page_has_a_severity_chart_per_source():
    html, parsed = page(sample_scan())
    charts = parsed.named("svg")
    assert len(charts) == 2, "one chart per source that was read (the unreadable database has none)"
    bars = [r for r in parsed.named("rect") if r.get("class", "").startswith("bar-")]
    assert [b["class"] for b in bars[:5]] == ["bar-critical", "bar-high", "bar-medium", "bar-low", "bar-info"]
    widths = [float(b["width"]) for b in bars[:5]]
    assert widths[0] == max(widths) > 0 and widths[1] == 0, "shop.db: 3 critical (longest bar), no high"
    assert "Findings by severity in policies/example/data/shop.db: 3 critical, 2 medium, 1 low" in html


def test_column_names_from_the_data_are_escaped():
    html, parsed = page(sample_scan())
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in "".join(parsed.text)


def test_page_shows_masked_examples_errors_and_what_the_exit_code_means():
    html, parsed = page(sample_scan(), fail_on="critical")
    text = " ".join("".join(parsed.text).split())
    assert "***-**-6789" in text and "rows: id=4, id=17, id=52" in text
    assert "7 under 13 and 12 under 16 on 2024-05-01" in text
    assert "cannot connect to the database" in text
    assert "could not be read: the command exits with 2 (3 finding(s) at or above 'critical')" in text


def test_check_page_cites_the_law_and_shows_waivers():
    _, parsed = page(sample_check())
    text = " ".join("".join(parsed.text).split())
    assert "16 CFR 312.5(a)" in text and "How to fix: Declare a parental-consent mechanism" in text
    assert "Waived until 2024-09-30 by it-security" in text
    assert "GEN-RET-001 Every dataset declares a retention period (GDPR Art. 5(1)(e))" in text


def test_a_user_template_directory_overrides_the_built_in_page(tmp_path):
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "scan.html.j2").write_text(
        "<p>{{ summary.findings }} findings for {{ sources[0].name }}</p>\n"
    )
    html, _ = page(sample_scan(), template_dir=tmp_path)
    assert html == "<p>8 findings for policies/example/data/shop.db</p>\n"
