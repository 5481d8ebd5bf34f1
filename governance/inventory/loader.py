"""Load and validate the inventory: one file or a directory of YAML files, merged."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from governance.errors import ConfigError
from governance.inventory.models import Inventory
from governance.yamlio import Loc, YamlDoc, format_loc, load_yaml, validation_error

LIST_SECTIONS = ("purposes", "datasets", "recipients", "processing_on_behalf")


@dataclass
class LoadedInventory:
    """A validated inventory, where it came from, and where each key was written."""

    inventory: Inventory
    files: list[Path]
    base_dir: Path
    _origins: dict[Loc, tuple[Path, int]] = field(default_factory=dict, repr=False)

    def where(self, loc: Loc) -> str:
        """``file:line`` of a key path, for messages (deepest known prefix)."""
        loc = tuple(loc)
        while loc:
            if loc in self._origins:
                path, line = self._origins[loc]
                return f"{path}:{line}"
            loc = loc[:-1]
        return str(self.files[0]) if self.files else "inventory"

    def resolve_path(self, relative: str) -> Path:
        """A dataset path is relative to the inventory directory."""
        p = Path(relative)
        return p if p.is_absolute() else (self.base_dir / p)


def _inventory_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
        files = [p for p in files if p.name not in ("waivers.yaml", "baseline.yaml")]
        if not files:
            raise ConfigError("no inventory YAML files in this directory", where=str(path),
                              hint="run `governance init` to write a starter inventory")
        return files
    if not path.exists():
        raise ConfigError("inventory not found", where=str(path), hint="run `governance init` to write one")
    return [path]


def _merge(docs: list[YamlDoc]) -> tuple[dict, dict[Loc, tuple[Path, int]]]:
    merged: dict = {}
    origins: dict[Loc, tuple[Path, int]] = {}
    for doc in docs:
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            raise ConfigError("the top level must be a mapping of sections (organization, datasets, ...)",
                              where=f"{doc.path}:1")
        for key, value in doc.data.items():
            offset = 0
            if key in LIST_SECTIONS and isinstance(value, list):
                offset = len(merged.get(key, []))
                merged.setdefault(key, []).extend(value)
            elif key in merged:
                first = origins.get((key,), (doc.path, 0))
                raise ConfigError(f"section '{key}' is also declared in {first[0]}:{first[1]}",
                                  where=f"{doc.path}:{doc.lines.get((key,), 1)}")
            else:
                merged[key] = value
            for loc, line in doc.lines.items():
                if loc and loc[0] == key:
                    if offset and len(loc) > 1 and isinstance(loc[1], int):
                        loc = (key, loc[1] + offset) + loc[2:]
                    origins.setdefault(loc, (doc.path, line))
    return merged, origins


def _cross_references(inv: Inventory) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    purposes = {p.id for p in inv.purposes}
    datasets = {d.id: d for d in inv.datasets}
    for section, items in (("purposes", inv.purposes), ("datasets", inv.datasets), ("recipients", inv.recipients)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(((section, i, "id"), f"duplicate id '{item.id}'"))
            seen.add(item.id)
    for di, ds in enumerate(inv.datasets):
        names = {f.name for f in ds.fields}
        for fi, fld in enumerate(ds.fields):
            for pi, pid in enumerate(fld.purposes):
                if pid not in purposes:
                    problems.append((("datasets", di, "fields", fi, "purposes", pi), f"unknown purpose '{pid}'"))
        for ii, ident in enumerate(ds.identity_fields):
            if ds.fields and ident not in names:
                problems.append((("datasets", di, "identity_fields", ii), f"'{ident}' is not a declared field"))
        for ri, ref in enumerate(ds.references):
            target = datasets.get(ref.dataset)
            if target is None:
                problems.append((("datasets", di, "references", ri, "dataset"), f"unknown dataset '{ref.dataset}'"))
            elif target.fields and target.field(ref.to_field) is None:
                problems.append((("datasets", di, "references", ri, "to_field"),
                                 f"dataset '{ref.dataset}' has no field '{ref.to_field}'"))
    for ri, rec in enumerate(inv.recipients):
        for pi, pid in enumerate(rec.purposes):
            if pid not in purposes:
                problems.append((("recipients", ri, "purposes", pi), f"unknown purpose '{pid}'"))
    return problems


def load_inventory(path: str | Path) -> LoadedInventory:
    """Load ``path`` (a YAML file or a directory of them); raise one ConfigError listing every problem."""
    path = Path(path)
    files = _inventory_files(path)
    docs = [load_yaml(f) for f in files]
    merged, origins = _merge(docs)

    def where(loc: Loc) -> str:
        probe = tuple(loc)
        while probe:
            if probe in origins:
                file, line = origins[probe]
                return f"{file}:{line}: {format_loc(loc)}"
            probe = probe[:-1]
        return f"{files[0]}: {format_loc(loc)}"

    try:
        inventory = Inventory.model_validate(merged)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key (check the spelling; see governance/schemas/inventory.schema.json)"
            problems.append((where(loc), msg))
        raise validation_error(problems, "the inventory") from None
    cross = _cross_references(inventory)
    if cross:
        raise validation_error([(where(loc), msg) for loc, msg in cross], "the inventory")
    base = path if path.is_dir() else path.parent
    return LoadedInventory(inventory, files, base, origins)
