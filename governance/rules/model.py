"""The schema of a rule file (``rules/<pack>/<RULE-ID>.yaml``) and of a pack file (``pack.yaml``).

Conditions are validated by :mod:`governance.rules.conditions` (with the key path of
each problem); here they are typed as ``Condition`` so the exported JSON Schema
(``governance/schemas/rule.schema.json``) describes them too.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from governance.rules.conditions import condition_json_schema

RuleId = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$", max_length=64,
                              description="upper case words joined by hyphens, e.g. CANSPAM-OPT-OUT; the file is <id>.yaml")]
Severity = Literal["info", "low", "medium", "high", "critical"]
Target = Literal["organization", "purpose", "dataset", "field", "recipient", "finding"]
_CONDITION_MARK = "x-governance-condition"
ConditionSpec = Annotated[Any, WithJsonSchema({_CONDITION_MARK: True})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RuleSpec(Strict):
    """One rule: what it checks, where, under which law, and what to do about a violation."""

    id: RuleId
    title: str = Field(min_length=3, description="one line, shown in reports")
    law: str = Field(description="the law, e.g. 'CAN-SPAM Act'")
    citation: str = Field(min_length=3, description="statute or regulation section, e.g. '15 U.S.C. 7704(a)(4)'")
    severity: Severity
    description: str = Field(min_length=10, description="what the law requires, in plain language")
    target: Target = Field(description="what the rule iterates over; the check is evaluated once per item")
    applies_when: ConditionSpec | None = Field(None, description="condition selecting the items the rule applies to")
    check: ConditionSpec = Field(description="condition that must hold for every item the rule applies to")
    message: str = Field(min_length=3, description="violation text; {path} placeholders are filled from the item")
    remediation: str = Field(min_length=3, description="what to do")
    help_uri: str | None = Field(None, description="where to read the law (shown in SARIF)")


class PackSpec(Strict):
    """Optional ``pack.yaml``: the pack's title and the condition under which any of its rules apply."""

    title: str
    description: str = ""
    applies_when: ConditionSpec | None = Field(None, description="evaluated once, on the whole inventory")


def _with_conditions(schema: dict) -> dict:
    """Point condition fields at ``$defs/Condition`` (pydantic cannot reference a hand-written def)."""

    def fix(node):
        if isinstance(node, dict):
            if node.pop(_CONDITION_MARK, None):
                node["$ref"] = "#/$defs/Condition"
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(schema)
    schema.setdefault("$defs", {})["Condition"] = condition_json_schema()
    return schema


def rule_json_schema() -> dict:
    """JSON Schema of a rule file."""
    schema = _with_conditions(RuleSpec.model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "governance rule"
    return schema


def pack_json_schema() -> dict:
    """JSON Schema of a pack.yaml file."""
    schema = _with_conditions(PackSpec.model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "governance rule pack"
    return schema
