"""`governance check` includes the privacy-policy completeness check (pack `disclosures`)."""

import shutil

import yaml

from governance.rules.check import CheckOptions, run_check


def _copy_example(tmp_path, repo, drop_notice: str | None = None):
    target = tmp_path / "example"
    shutil.copytree(repo / "policies" / "example", target, ignore=shutil.ignore_patterns(".dsr"))
    if drop_notice:
        path = target / "inventory.yaml"
        data = yaml.safe_load(path.read_text())
        del data["notices"][drop_notice]
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    return target


def test_complete_example_has_no_disclosure_violations(tmp_path, repo):
    result = run_check(_copy_example(tmp_path, repo), CheckOptions(scan=False))
    assert any(r.pack == "disclosures" for r in result.rules)
    assert [v for v in result.violations if v.rule.pack == "disclosures"] == []


def test_missing_do_not_track_statement_is_a_check_violation(tmp_path, repo):
    result = run_check(_copy_example(tmp_path, repo, "do_not_track"), CheckOptions(scan=False))
    found = [v for v in result.violations if v.rule.pack == "disclosures"]
    assert [v.target for v in found] == ["notices.do_not_track"]
    assert "22575(b)(5)" in found[0].rule.citation


def test_disclosures_pack_can_be_disabled(tmp_path, repo):
    result = run_check(_copy_example(tmp_path, repo, "do_not_track"), CheckOptions(scan=False, disable=["disclosures"]))
    assert not any(v.rule.pack == "disclosures" for v in result.violations)
    assert not any(r.pack == "disclosures" for r in result.rules)


def test_single_disclosure_rule_can_be_disabled(tmp_path, repo):
    options = CheckOptions(scan=False)
    first = run_check(_copy_example(tmp_path, repo, "do_not_track"), options)
    (rule_id,) = {v.rule.id for v in first.violations if v.rule.pack == "disclosures"}
    second = run_check(tmp_path / "example", CheckOptions(scan=False, disable=[rule_id]))
    assert not any(v.rule.id == rule_id for v in second.violations)
