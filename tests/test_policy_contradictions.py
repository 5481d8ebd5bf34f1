"""A hand-written privacy policy compared with the inventory it should describe."""

from __future__ import annotations

import pytest
from policy_support import EXAMPLE, example_data, write_inventory

from governance.errors import InputError
from governance.inventory.loader import load_inventory
from governance.policy.contradictions import (
    check_contradictions,
    policy_text,
    read_policy,
)
from governance.policy.render import render_policy


@pytest.fixture(scope="module")
def example():
    return load_inventory(EXAMPLE)


def _by_rule(violations):
    out = {}
    for v in violations:
        out.setdefault(v.rule.id, []).append(v)
    return out


def test_the_rendered_policy_does_not_contradict_its_inventory(example):
    for fmt in ("markdown", "html"):
        assert check_contradictions(example, render_policy(example, fmt), f"policy.{fmt}") == []


def test_handwritten_markdown_contradictions(example, fixtures):
    path = fixtures / "policy" / "handwritten.md"
    found = _by_rule(check_contradictions(example, read_policy(path), str(path)))
    sale = found["CONTRADICT-SALE-DENIED"][0]
    assert "we do not sell your personal information" in sale.message
    assert "1798.120" in sale.rule.citation and "7011(e)(1)(D)" in sale.rule.citation
    missing = {v.target.split("category:")[1] for v in found["CONTRADICT-CATEGORY-UNDISCLOSED"]}
    assert missing == {"health", "demographic", "device", "credentials"}
    health = next(v for v in found["CONTRADICT-CATEGORY-UNDISCLOSED"] if v.target.endswith("health"))
    assert health.dataset == "pharmacy_patients" and health.location.startswith(str(EXAMPLE))
    assert health.rule.citation == "Cal. Bus. & Prof. Code 22575(b)(1); 11 CCR 7011(e)(1)(A)"
    recipients = [v.target for v in found["CONTRADICT-RECIPIENT-UNDISCLOSED"]]
    assert recipients == [f"{path}|recipient:ad_partner"]  # service providers are named by kind
    for rule in ("NO-OPT-OUT-SIGNAL", "NO-DO-NOT-SELL", "NO-COMPLAINT-RIGHT", "NO-HIPAA-NOTICE"):
        assert f"CONTRADICT-{rule}" in found, rule
    assert "CONTRADICT-NO-DO-NOT-TRACK" not in found and "CONTRADICT-NO-EFFECTIVE-DATE" not in found


def test_handwritten_html_that_matches_has_no_contradictions(example, fixtures):
    path = fixtures / "policy" / "handwritten.html"
    assert check_contradictions(example, read_policy(path), str(path)) == []


def test_a_denial_only_counts_when_the_inventory_declares_the_practice(tmp_path, fixtures):
    data = example_data()
    for rec in data["recipients"]:
        rec["disclosure"] = "business_purpose"
    loaded = load_inventory(write_inventory(data, tmp_path))
    found = _by_rule(check_contradictions(loaded, read_policy(fixtures / "policy" / "handwritten.md")))
    assert "CONTRADICT-SALE-DENIED" not in found and "CONTRADICT-NO-DO-NOT-SELL" not in found


def test_children_denied_while_children_data_is_declared(tmp_path):
    data = example_data()
    data["organization"]["directed_to_children"] = True
    loaded = load_inventory(write_inventory(data, tmp_path))
    text = "Our shop is not directed to children. We do not knowingly collect data from any child under 13."
    denial = _by_rule(check_contradictions(loaded, text, "p.txt"))["CONTRADICT-CHILDREN-DENIED"][0]
    assert denial.rule.citation.startswith("16 CFR 312.4(d)") and denial.location == "p.txt"


def test_policy_text_strips_markup_and_scripts():
    assert policy_text("<p>We&nbsp;DO <b>not</b> sell</p><script>we do not sell</script>") == "we do not sell"


def test_unreadable_policy_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_policy(tmp_path / "missing.md")
    (tmp_path / "bin.md").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputError, match="UTF-8"):
        read_policy(tmp_path / "bin.md")
