"""Integrity of the shipped catalogues (as fideslang checks its own taxonomy)."""

import pytest
import yaml

from governance import taxonomy
from governance.resources import data_file


def test_every_entity_maps_to_a_fideslang_category():
    categories = taxonomy.data_categories()
    unknown = {e.entity: e.category for e in taxonomy.entities().values() if e.category not in categories}
    assert unknown == {}


def test_every_entity_has_a_plain_language_label():
    assert all(e.label and e.label[0].islower() or e.label[0].isupper() for e in taxonomy.entities().values())
    assert len({e.entity for e in taxonomy.entities().values()}) == len(taxonomy.entities())


def test_severity_table_uses_known_categories_and_levels():
    table = yaml.safe_load(data_file("severity.yaml").read_text())
    assert set(table.values()) <= set(taxonomy.SEVERITIES)
    assert set(table) <= set(taxonomy.data_categories())


@pytest.mark.parametrize(
    ("category", "severity"),
    [
        ("user.financial.credit_card", "critical"),
        ("user.government_id.national_identification_number", "critical"),
        ("user.health_and_medical.record_id", "high"),
        ("user.contact.email", "medium"),
        ("user.contact.address.city", "low"),
        ("user.name", "low"),
    ],
)
def test_category_severity_uses_longest_prefix(category, severity):
    assert taxonomy.category_severity(category) == severity


@pytest.mark.parametrize(
    ("pattern", "key", "expected"),
    [
        ("user.contact", "user.contact.email", True),
        ("user.contact", "user.contact", True),
        ("user.contact", "user.contactless", False),
        ("user.contact.email", "user.contact", False),
    ],
)
def test_category_matches_is_hierarchical(pattern, key, expected):
    assert taxonomy.category_matches(pattern, key) is expected


def test_severity_rank_rejects_unknown_level():
    with pytest.raises(ValueError, match="unknown severity"):
        taxonomy.severity_rank("urgent")
