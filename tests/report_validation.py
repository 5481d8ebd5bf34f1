"""Validators for report tests: the JSON report schemas shipped in the package and the stored SARIF 2.1.0 schema."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft7Validator, Draft202012Validator
from referencing import Registry, Resource

from governance.resources import schema_file

REPORT_SCHEMAS = ("scan-report.schema.json", "check-report.schema.json")
SARIF_SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "report" / "sarif-schema-2.1.0.json").read_text())


def schema_validator(name: str) -> Draft202012Validator:
    """Validator for one report schema; the check report's ``scan`` resolves to the scan report schema."""
    schemas = [json.loads(schema_file(n).read_text()) for n in REPORT_SCHEMAS]
    for schema in schemas:
        Draft202012Validator.check_schema(schema)
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas])
    schema = json.loads(schema_file(name).read_text())
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_sarif_valid(log: dict) -> None:
    """Fail with the first schema errors when ``log`` is not valid SARIF 2.1.0."""
    validator = Draft7Validator(SARIF_SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
