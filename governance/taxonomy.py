"""The fideslang taxonomy, plus the toolkit's entity and severity tables.

Data categories, data uses (purposes) and data subjects are fideslang keys, so
inventories and reports interoperate with Fides manifests.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from governance.resources import data_file

SEVERITIES = ("info", "low", "medium", "high", "critical")


def severity_rank(severity: str) -> int:
    """Position of a severity on the scale (info=0 ... critical=4)."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        raise ValueError(f"unknown severity '{severity}'; use one of {', '.join(SEVERITIES)}") from None


@dataclass(frozen=True)
class EntityInfo:
    """What a detector entity means: its fideslang category and plain-language label."""

    entity: str
    category: str
    label: str


@lru_cache(maxsize=None)
def _fideslang_keys() -> dict[str, dict[str, str]]:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    def table(items):
        return {item.fides_key: {"name": item.name or item.fides_key, "description": item.description or ""} for item in items}

    return {
        "data_category": table(DEFAULT_TAXONOMY.data_category),
        "data_use": table(DEFAULT_TAXONOMY.data_use),
        "data_subject": table(DEFAULT_TAXONOMY.data_subject),
    }


def data_categories() -> dict[str, dict[str, str]]:
    """fideslang data categories: key -> {name, description}."""
    return _fideslang_keys()["data_category"]


def data_uses() -> dict[str, dict[str, str]]:
    """fideslang data uses (purposes): key -> {name, description}."""
    return _fideslang_keys()["data_use"]


def data_subjects() -> dict[str, dict[str, str]]:
    """fideslang data subjects: key -> {name, description}."""
    return _fideslang_keys()["data_subject"]


def category_matches(pattern: str, key: str) -> bool:
    """Hierarchical match: ``user.contact`` matches ``user.contact.email`` and itself."""
    return key == pattern or key.startswith(pattern + ".")


def category_overlaps(a: str, b: str) -> bool:
    """True when one category contains the other."""
    return category_matches(a, b) or category_matches(b, a)


@lru_cache(maxsize=None)
def entities() -> dict[str, EntityInfo]:
    """Every detector entity the scanner reports, from ``governance/data/entities.yaml``."""
    with open(data_file("entities.yaml"), encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return {name: EntityInfo(name, row["category"], row["label"]) for name, row in raw.items()}


def entity_category(entity: str) -> str:
    """The fideslang category of a detector entity (``user`` when unknown)."""
    info = entities().get(entity)
    return info.category if info else "user"


@lru_cache(maxsize=None)
def _severity_table() -> dict[str, str]:
    with open(data_file("severity.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def category_severity(category: str) -> str:
    """Default severity of personal data in ``category`` (longest matching prefix wins)."""
    best, best_len = "low", -1
    for prefix, severity in _severity_table().items():
        if category_matches(prefix, category) and len(prefix) > best_len:
            best, best_len = severity, len(prefix)
    return best


def category_label(category: str) -> str:
    """Plain-language name of a category, for reports and letters."""
    info = data_categories().get(category)
    return info["name"] if info else category
