"""Loading rule packs: user packs, disabling, and load errors that name file:line:key."""

from __future__ import annotations

import pytest

from governance.errors import ConfigError
from governance.rules.loader import load_rules


def _error(*args, **kwargs) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_rules(*args, **kwargs)
    return info.value


def test_user_pack_loads_beside_the_builtin_packs(fixtures):
    ruleset = load_rules([fixtures / "rules_user"])
    rule = ruleset.get("ACME-OPT-OUT-5-DAYS")
    assert rule.pack.name == "acme" and rule.pack.title == "Acme house rules" and not rule.pack.builtin
    assert rule.pack.applies_when is not None
    assert ruleset.get("CANSPAM-OPT-OUT-10-DAYS").pack.builtin


def test_a_pack_directory_can_be_given_directly(fixtures):
    ruleset = load_rules([fixtures / "rules_user" / "acme"], builtin=False)
    assert [r.id for r in ruleset.rules] == ["ACME-OPT-OUT-5-DAYS"]


def test_disable_a_pack_and_a_rule():
    ruleset = load_rules(disable=["gdpr", "CANSPAM-PURCHASED-LIST"])
    ids = {r.id for r in ruleset.rules}
    assert not any(i.startswith("GDPR-") for i in ids)
    assert "CANSPAM-PURCHASED-LIST" not in ids and "CANSPAM-OPT-OUT-10-DAYS" in ids
    assert "gdpr" not in {p.name for p in ruleset.packs}


def test_disabling_an_unknown_name_is_an_error():
    err = _error(disable=["GDPR-NO-SUCH-RULE"])
    assert err.where == "--disable" and "GDPR-NO-SUCH-RULE" in err.message


def test_unknown_key_names_file_line_and_key(fixtures):
    path = fixtures / "rules_bad" / "unknown_key" / "acme" / "ACME-UNKNOWN-KEY.yaml"
    err = _error([path.parent], builtin=False)
    assert err.details == [
        f"{path}:1: severity: Field required",
        f"{path}:5: severty: unknown key (check the spelling; see governance/schemas/rule.schema.json)",
    ]


def test_bad_condition_lists_every_problem_with_its_key_path(fixtures):
    path = fixtures / "rules_bad" / "bad_condition" / "acme" / "ACME-BAD-CONDITION.yaml"
    err = _error([path.parent], builtin=False)
    details = "\n".join(err.details)
    assert err.message == "4 problems in the rule packs"
    assert f"{path}:8: applies_when.matches_category: not a fideslang key: marketing.carrier_pigeon" in details
    assert f"{path}:11: check.all[0].path: 'purpose.opt_out' has no 'honoured_within_busines_days'" in details
    assert f"{path}:12: check.all[1].gte: 'gte' takes a number" in details
    assert f"{path}:13: message: placeholder '{{dataset.id}}': unknown name 'dataset' here" in details


def test_duplicate_rule_id_across_packs_is_an_error(fixtures):
    base = fixtures / "rules_bad" / "duplicate"
    err = _error([base], builtin=False)
    assert err.where == f"{base / 'other' / 'ACME-TWICE.yaml'}:1: id"
    assert err.message == f"duplicate rule id 'ACME-TWICE', also defined in {base / 'acme' / 'ACME-TWICE.yaml'}"


def test_reusing_a_builtin_id_is_an_error_not_an_override(fixtures):
    path = fixtures / "rules_bad" / "builtin_clash" / "acme" / "CANSPAM-OPT-OUT-10-DAYS.yaml"
    err = _error([path.parent])
    assert err.where == f"{path}:1: id" and "duplicate rule id 'CANSPAM-OPT-OUT-10-DAYS'" in err.message


def test_invalid_yaml_names_the_line(fixtures):
    path = fixtures / "rules_bad" / "syntax" / "acme" / "ACME-SYNTAX.yaml"
    err = _error([path.parent], builtin=False)
    assert err.where == f"{path}:4" and err.message.startswith("invalid YAML")


def test_id_must_match_the_file_name(tmp_path, fixtures):
    pack = tmp_path / "acme"
    pack.mkdir()
    text = (fixtures / "rules_user" / "acme" / "ACME-OPT-OUT-5-DAYS.yaml").read_text()
    (pack / "ACME-RENAMED.yaml").write_text(text)
    err = _error([pack], builtin=False)
    assert err.where == f"{pack / 'ACME-RENAMED.yaml'}:1: id" and "must match the file name" in err.message


def test_missing_rule_directory_is_an_error(tmp_path):
    err = _error([tmp_path / "nowhere"], builtin=False)
    assert err.message == "rule directory not found"


def test_disable_names_packs_and_rule_ids_whatever_their_letter_case():
    from governance.rules.loader import load_rules

    ruleset = load_rules(disable=["GDPR", "canspam-postal-address"])
    assert not [r for r in ruleset.rules if r.pack.name == "gdpr" or r.id == "CANSPAM-POSTAL-ADDRESS"]
    assert ruleset.get("canspam-opt-out-mechanism").id == "CANSPAM-OPT-OUT-MECHANISM"
