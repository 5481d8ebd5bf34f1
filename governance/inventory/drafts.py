"""Is the inventory still a draft? Placeholders and unset keys that stop a check passing and a policy publishing.

``governance init`` writes ``TODO`` wherever only the organisation can answer; an
inventory with such a placeholder, no dataset, no jurisdiction or no policy version
and effective date is a draft. ``governance check`` reports each as a violation (rules
``GEN-DRAFT-*``) and ``governance policy render`` refuses it unless ``--draft``.
"""

from __future__ import annotations

import re
from typing import Any

from governance.inventory.models import Inventory
from governance.yamlio import format_loc

#: A placeholder word, as `governance init` and hand-written drafts use them.
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b")


def placeholder_locs(inv: Inventory) -> list[tuple]:
    """Key paths (``("organization", "name")``) whose text holds a placeholder."""
    found: list[tuple] = []

    def walk(node: Any, loc: tuple) -> None:
        if isinstance(node, str):
            if PLACEHOLDER.search(node):
                found.append(loc)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, loc + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, loc + (i,))

    walk(inv.model_dump(mode="json", by_alias=True), ())
    return found


def placeholders(inv: Inventory) -> list[str]:
    """Dotted keys (``organization.name``, ``datasets[0].description``) whose text holds a placeholder."""
    return [format_loc(loc) for loc in placeholder_locs(inv)]


def draft_problems(inv: Inventory) -> list[tuple[tuple, str]]:
    """Why the inventory is a draft: (key path, reason) each; empty when it is not a draft."""
    problems = [(loc, f"{format_loc(loc)} is a placeholder") for loc in placeholder_locs(inv)]
    if not inv.datasets:
        problems.append((("datasets",), "datasets is empty"))
    if not inv.organization.jurisdictions:
        problems.append((("organization", "jurisdictions"), "organization.jurisdictions is empty"))
    problems += [(("purposes", i, "legal_basis"), f"purposes[{i}].legal_basis is not set")
                 for i, p in enumerate(inv.purposes) if p.legal_basis is None]
    if not inv.notices.version:
        problems.append((("notices",), "notices.version is not set"))
    if inv.notices.effective_date is None:
        problems.append((("notices",), "notices.effective_date is not set"))
    return problems
