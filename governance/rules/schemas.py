"""Export the JSON Schemas of the files users write: rules, rule packs, waivers and the inventory.

The exported files live in ``governance/schemas/``; a test keeps them equal to the
models (``pytest --update-golden`` rewrites them).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from governance.fileio import atomic_write
from governance.rules.model import pack_json_schema, rule_json_schema
from governance.rules.waivers import waivers_json_schema


def inventory_json_schema() -> dict:
    """JSON Schema of the inventory (``policies/*.yaml``)."""
    from governance.inventory.models import Inventory

    schema = Inventory.model_json_schema()
    for model in schema["$defs"].values():  # `retention: P3Y` / `retention: until closed` shorthands
        retention = model.get("properties", {}).get("retention")
        if retention and "anyOf" in retention:
            retention["anyOf"].insert(0, {"type": "string", "description": "an ISO 8601 period (P3Y) or a criterion"})
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "governance inventory"
    return schema


#: file name in governance/schemas -> function producing the schema
SCHEMAS: dict[str, Callable[[], dict]] = {
    "rule.schema.json": rule_json_schema,
    "pack.schema.json": pack_json_schema,
    "waivers.schema.json": waivers_json_schema,
    "inventory.schema.json": inventory_json_schema,
}


def schema_text(name: str) -> str:
    """The exported text of one schema (stable key order, trailing newline)."""
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"


def export_schemas(directory: str | Path) -> list[Path]:
    """Write every schema into ``directory``; return the paths written."""
    written = []
    for name in SCHEMAS:
        path = Path(directory) / name
        with atomic_write(path) as fh:
            fh.write(schema_text(name))
        written.append(path)
    return written
