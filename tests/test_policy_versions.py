"""Saved policy versions and the plain-language diff that marks material changes."""

from __future__ import annotations

import json

import pytest
from policy_support import example_data, write_inventory

from governance.errors import ConfigError, InputError
from governance.inventory.loader import load_inventory
from governance.policy.context import build_context
from governance.policy.render import render_policy
from governance.policy.versions import diff, load_version, save_version


def _save(data: dict, tmp_path, versions, name: str, fmt: str = "markdown"):
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    loaded = load_inventory(write_inventory(data, folder))
    context = build_context(loaded)
    return save_version(versions, context, render_policy(loaded, fmt, context=context), fmt, inventory=name)


def test_saving_keeps_the_rendering_the_view_model_and_metadata(tmp_path):
    versions = tmp_path / "versions"
    where = _save(example_data(), tmp_path, versions, "a")
    assert where == versions / "2026.11"
    assert (where / "policy.md").read_text(encoding="utf-8").startswith("# Privacy policy of Corner Bloom")
    meta = json.loads((where / "meta.json").read_text())
    assert meta["version"] == "2026.11" and meta["effective_date"] == "2026-11-01"
    assert len(meta["formats"]["markdown"]["sha256"]) == 64
    _save(example_data(), tmp_path, versions, "a", fmt="html")  # same content, another format
    assert set(json.loads((where / "meta.json").read_text())["formats"]) == {"markdown", "html"}
    assert load_version(where / "policy.html")["version"] == "2026.11"


def test_a_changed_policy_needs_a_new_version(tmp_path):
    versions = tmp_path / "versions"
    _save(example_data(), tmp_path, versions, "a")
    changed = example_data()
    changed["notices"]["do_not_track"] = "We now honour Do Not Track."
    with pytest.raises(ConfigError, match="already saved with different content"):
        _save(changed, tmp_path, versions, "b")


def test_material_changes_are_marked(tmp_path):
    versions = tmp_path / "versions"
    old = load_version(_save(example_data(), tmp_path, versions, "a"))
    data = example_data()
    data["notices"]["version"] = "2027.01"
    data["datasets"][0]["fields"].append({"name": "ssn", "category": "user.government_id.national_identification_number",
                                          "purposes": ["order_fulfilment"]})
    data["purposes"].append({"id": "profiling", "data_use": "personalize.profiling",
                             "description": "Build a taste profile to personalise the shop.", "legal_basis": "consent"})
    data["recipients"].append({"id": "broker", "name": "Bouquet Data Brokers", "type": "third_party",
                               "disclosure": "sale", "categories": ["user.demographic.date_of_birth"], "country": "US"})
    data["recipients"][1]["disclosure"] = "sharing"  # the e-mail platform now shares for advertising
    data["notices"]["do_not_track"] = "We now honour Do Not Track."
    result = diff(old, load_version(_save(data, tmp_path, versions, "b")))
    material = [c.summary for c in result.material]
    assert "New category collected: national identity number (such as a Social Security number) (Government identifiers)." in material
    assert "New purpose: Build a taste profile to personalise the shop." in material
    assert any(s.startswith("New recipient: Bouquet Data Brokers") for s in material)
    assert "SendLeaf Mail: disclosed for a business purpose -> shared for cross-context behavioural advertising." in material
    assert "Now sold or shared: Personal characteristics." in material
    minor = [c.summary for c in result.changes if not c.material]
    assert "Statement 'do not track' changed." in minor
    text = result.to_text()
    assert text.startswith("Changes from version 2026.11 to 2027.01:")
    assert "MATERIAL [Information we collect]" in text and "tell customers" in text


def test_wording_changes_alone_are_not_material(tmp_path):
    versions = tmp_path / "versions"
    old = load_version(_save(example_data(), tmp_path, versions, "a"))
    data = example_data()
    data["notices"]["version"] = "2026.12"
    data["notices"]["do_not_track"] = "We still ignore Do Not Track."
    data["recipients"] = [r for r in data["recipients"] if r["id"] != "couriers"]
    data["datasets"][1]["retention"] = "P5Y"
    result = diff(old, load_version(_save(data, tmp_path, versions, "b")))
    assert result.changes and result.material == []
    summaries = [c.summary for c in result.changes]
    assert "No longer disclosed to: Springfield Same-Day Couriers." in summaries
    assert any(s.startswith("Retention of identity and contact details changed") for s in summaries)
    assert "No material changes." in result.to_text()


def test_identical_versions_have_no_changes(tmp_path):
    where = _save(example_data(), tmp_path, tmp_path / "v", "a")
    assert diff(load_version(where), load_version(where)).changes == []


def test_not_a_version_directory(tmp_path):
    with pytest.raises(InputError, match="not a saved policy version"):
        load_version(tmp_path)
