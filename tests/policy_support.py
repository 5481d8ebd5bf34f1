"""Helpers for the privacy-policy tests: copies of the bundled example inventory with edits."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "policies" / "example" / "inventory.yaml"


def example_data() -> dict:
    """The bundled example inventory as plain data (a fresh copy each call)."""
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def write_inventory(data: dict, directory: Path, name: str = "inventory.yaml") -> Path:
    """Write ``data`` as an inventory file in ``directory`` and return its path."""
    path = directory / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def enable_every_disclosure(data: dict) -> dict:
    """The example plus the facts that make the conditional disclosures apply, each supplied.

    Adds a data protection officer, children's data (COPPA), a sale of under-16s' data
    (CCPA 7070), and sensitive data used for marketing (CCPA right to limit).
    """
    data = copy.deepcopy(data)
    org = data["organization"]
    org["dpo"] = {"name": "Data Protection Officer", "email": "dpo@cornerbloom.example"}
    org["directed_to_children"] = True
    org["sells_personal_information_of_under_16"] = True
    data["notices"]["minors_opt_in"] = "We sell data of consumers aged 13 to 15 only after they opt in, and under 13 only with a parent's consent."
    data["children"] = {
        "verifiable_parental_consent": "a signed consent form returned by post",
        "direct_notice_to_parents": True,
        "separate_consent_for_third_party_disclosure": True,
        "parental_review_and_deletion": True,
        "retention_policy": "Children's records are deleted 12 months after the last order.",
    }
    data["datasets"][0]["contains_children_data"] = True
    data["datasets"][0]["fields"].append(
        {"name": "allergy_notes", "category": "user.health_and_medical", "purposes": ["marketing_email"]})
    return data
