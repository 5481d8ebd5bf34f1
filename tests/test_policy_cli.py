"""`governance policy render | check | diff` through click's CliRunner."""

from __future__ import annotations

import json

from policy_support import EXAMPLE, example_data, write_inventory

from governance.cli import cli
from governance.inventory.loader import load_inventory
from governance.policy.render import render_policy


def test_render_markdown_to_stdout(runner):
    result = runner.invoke(cli, ["policy", "render", "--inventory", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout == render_policy(load_inventory(EXAMPLE))


def test_render_html_to_a_file_and_save_versions(runner, tmp_path):
    out, versions = tmp_path / "site" / "privacy.html", tmp_path / "versions"
    result = runner.invoke(cli, ["policy", "render", "--inventory", str(EXAMPLE), "--format", "html",
                                 "-o", str(out), "--save-version", str(versions)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert (versions / "2026.11" / "policy.html").read_text(encoding="utf-8") == page
    assert not list(out.parent.glob(".*.tmp"))  # written atomically, no temporary file left


def test_render_with_user_templates(runner, tmp_path):
    (tmp_path / "policy" / "sections").mkdir(parents=True)
    (tmp_path / "policy" / "sections" / "security.md.j2").write_text(
        '{% set section = policy.section("security") %}## {{ section.number }}. Locks and keys\n\n')
    result = runner.invoke(cli, ["policy", "render", "--inventory", str(EXAMPLE), "--templates", str(tmp_path)])
    assert result.exit_code == 0 and "## 8. Locks and keys" in result.stdout


def test_pdf_without_output_is_a_usage_error_or_names_the_extra(runner):
    result = runner.invoke(cli, ["policy", "render", "--inventory", str(EXAMPLE), "--format", "pdf"])
    assert result.exit_code == 2
    assert "--output" in result.output or "governance[pdf]" in result.output


def test_check_passes_on_the_example(runner):
    result = runner.invoke(cli, ["policy", "check", "--inventory", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["violations"] == 0 and report["summary"]["rules"] >= 30
    assert {r["pack"] for r in report["rules"]} == {"disclosures"}


def test_check_names_each_missing_disclosure(runner, tmp_path):
    data = example_data()
    del data["notices"]["do_not_track"], data["notices"]["third_party_tracking"]
    path = write_inventory(data, tmp_path)
    result = runner.invoke(cli, ["policy", "check", "--inventory", str(path), "--format", "json"])
    assert result.exit_code == 1
    found = {(v["rule_id"], v["citation"], v["target"]) for v in json.loads(result.stdout)["violations"]}
    assert found == {
        ("DISCLOSE-CALOPPA-22575-B-5", "Cal. Bus. & Prof. Code 22575(b)(5)", "notices.do_not_track"),
        ("DISCLOSE-CALOPPA-22575-B-6", "Cal. Bus. & Prof. Code 22575(b)(6)", "notices.third_party_tracking"),
    }


def test_check_compares_a_handwritten_policy(runner, fixtures):
    policy = fixtures / "policy" / "handwritten.md"
    result = runner.invoke(cli, ["policy", "check", "--inventory", str(EXAMPLE), "--policy", str(policy),
                                 "--format", "json"])
    assert result.exit_code == 1
    ids = {v["rule_id"] for v in json.loads(result.stdout)["violations"]}
    assert "CONTRADICT-SALE-DENIED" in ids and "CONTRADICT-CATEGORY-UNDISCLOSED" in ids


def test_check_on_a_broken_inventory_exits_2(runner, tmp_path):
    (tmp_path / "inventory.yaml").write_text("organization: [unclosed\n")
    result = runner.invoke(cli, ["policy", "check", "--inventory", str(tmp_path / "inventory.yaml")])
    assert result.exit_code == 2 and "error:" in result.output and "inventory.yaml:" in result.output


def test_diff_of_two_saved_versions(runner, tmp_path):
    versions = tmp_path / "versions"
    assert runner.invoke(cli, ["policy", "render", "--inventory", str(EXAMPLE), "--save-version", str(versions)]).exit_code == 0
    data = example_data()
    data["notices"]["version"] = "2027.01"
    data["recipients"][0]["disclosure"] = "sale"
    (tmp_path / "new").mkdir()
    path = write_inventory(data, tmp_path / "new")
    assert runner.invoke(cli, ["policy", "render", "--inventory", str(path), "--save-version", str(versions)]).exit_code == 0
    result = runner.invoke(cli, ["policy", "diff", str(versions / "2026.11"), str(versions / "2027.01")])
    assert result.exit_code == 0, result.output
    assert "MATERIAL [Who we share it with] CardRail Payments: disclosed for a business purpose -> sold." in result.stdout
    as_json = json.loads(runner.invoke(cli, ["policy", "diff", str(versions / "2026.11"),
                                             str(versions / "2027.01" / "policy.md"), "--format", "json"]).stdout)
    assert as_json["material"] is True and as_json["new_version"] == "2027.01"


DRAFT = """\
organization:
  name: TODO your organisation's name
  postal_address: TODO street or registered box address
  privacy_contact:
    email: TODO privacy contact e-mail
  jurisdictions: []
"""


def test_a_draft_is_not_rendered_for_publication(runner, tmp_path):
    (tmp_path / "inventory.yaml").write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "privacy.md"
    result = runner.invoke(cli, ["policy", "render", "--inventory", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert "the inventory is a draft (7 problem(s))" in result.output and "Traceback" not in result.output
    assert f"{tmp_path / 'inventory.yaml'}:2: organization.name is a placeholder" in result.output
    for problem in ("datasets is empty", "organization.jurisdictions is empty", "notices.version is not set",
                    "notices.effective_date is not set"):
        assert problem in result.output


def test_draft_renders_mark_every_page(runner, tmp_path):
    (tmp_path / "inventory.yaml").write_text(DRAFT, encoding="utf-8")
    md = runner.invoke(cli, ["policy", "render", "--inventory", str(tmp_path), "--draft"])
    assert md.exit_code == 0, md.output
    lines = md.stdout.strip().splitlines()
    assert lines[0] == lines[-1] == "**DRAFT - not for publication**"
    html = runner.invoke(cli, ["policy", "render", "--inventory", str(tmp_path), "--draft", "--format", "html"])
    assert html.exit_code == 0, html.output
    body = html.stdout.index("<body")
    banner = html.stdout.index('class="draft-mark"')
    assert body < banner < html.stdout.index("<h1") and "position:fixed" in html.stdout  # repeated on printed pages
    saved = runner.invoke(cli, ["policy", "render", "--inventory", str(tmp_path), "--draft",
                                "--save-version", str(tmp_path / "versions")])
    assert saved.exit_code == 2 and not (tmp_path / "versions").exists()


def test_check_fails_a_draft(runner, tmp_path):
    (tmp_path / "inventory.yaml").write_text(DRAFT, encoding="utf-8")
    result = runner.invoke(cli, ["check", "--inventory", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert {v["rule_id"] for v in report["violations"]} == {
        "GEN-DRAFT-DATASETS", "GEN-DRAFT-JURISDICTIONS", "GEN-DRAFT-PLACEHOLDERS", "GEN-DRAFT-POLICY-VERSION"}
    assert report["summary"]["holds"] == 0


def test_every_sentence_the_organisation_writes_can_be_translated(runner, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    english = "Take payment for and deliver your orders."
    vietnamese = "Nhận thanh toán và giao đơn hàng của bạn."
    assert f"description: {english}" in text
    text = text.replace(f"description: {english}", f"description: {{en: {english}, vi: {vietnamese}}}")
    (tmp_path / "inventory.yaml").write_text(text, encoding="utf-8")
    for name in ("data",):
        (tmp_path / name).symlink_to(EXAMPLE.parent / name)
    refused = runner.invoke(cli, ["policy", "render", "--inventory", str(tmp_path), "--lang", "vi"])
    assert refused.exit_code == 2, refused.output
    assert "have no 'vi' translation" in refused.output
    assert f"{tmp_path / 'inventory.yaml'}:" in refused.output and ": notices.do_not_track" in refused.output
    assert "purposes[0].description" not in refused.output  # this one is translated
    allowed = runner.invoke(cli, ["policy", "render", "--inventory", str(tmp_path), "--lang", "vi", "--allow-untranslated"])
    assert allowed.exit_code == 0, allowed.output
    assert vietnamese in allowed.stdout and english not in allowed.stdout
    english_policy = runner.invoke(cli, ["policy", "render", "--inventory", str(tmp_path)])
    assert english_policy.exit_code == 0 and english in english_policy.stdout and vietnamese not in english_policy.stdout
