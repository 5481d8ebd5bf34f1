"""A dataset of the inventory as the source of ``risk`` and ``deidentify``: where it is, its declared
quasi-identifiers, and the Safe Harbor transformation of each declared identifier field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from governance.errors import ConfigError
from governance.inventory.loader import load_inventory
from governance.risk.spec import DeidentifySpec
from governance.risk.transforms import safe_harbor_defaults
from governance.rules.facts import dataset_source, hipaa_identifier
from governance.taxonomy import category_matches


@dataclass
class DeclaredDataset:
    source: str
    table: str | None
    quasi_identifiers: list[str]
    min_k: int
    spec: DeidentifySpec


def declared_dataset(inventory: str | Path, dataset_id: str) -> DeclaredDataset:
    """The dataset ``dataset_id`` of the inventory at ``inventory``."""
    loaded = load_inventory(Path(inventory))
    ds = loaded.inventory.dataset(dataset_id)
    if ds is None:
        known = ", ".join(d.id for d in loaded.inventory.datasets) or "none"
        raise ConfigError(f"the inventory declares no dataset '{dataset_id}'", where=str(inventory),
                          hint=f"datasets: {known}")
    defaults = safe_harbor_defaults()
    columns = {}
    for f in ds.fields:
        by_category = next((t for c, t in defaults["by_category"].items()
                            if f.category and category_matches(c, f.category)), None)
        # ages are transformed though only ages over 89 are identifier (C) of 45 CFR 164.514(b)(2)(i)
        if f.personal and (by_category or hipaa_identifier(None, f.category) is not None):
            columns[f.name] = by_category or defaults["default"]
    spec = DeidentifySpec(columns=columns, quasi_identifiers=list(ds.quasi_identifiers))
    return DeclaredDataset(dataset_source(loaded, ds), ds.location.table, list(ds.quasi_identifiers), ds.min_k, spec)
