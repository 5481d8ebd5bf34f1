"""Does the inventory supply everything the privacy policy must disclose?

Each applicable disclosure of ``governance/data/required_disclosures.yaml`` whose
inventory keys are missing is one :class:`Violation` (pack ``disclosures``) that
names the disclosure, its citation and the key to add. ``governance check`` and
``governance policy check`` both call :func:`check_completeness`.
"""

from __future__ import annotations

from governance.inventory.loader import LoadedInventory
from governance.policy.requirements import Disclosure, disclosures
from governance.rules.results import RuleInfo, Violation
from governance.yamlio import format_loc

PACK = "disclosures"


def rule_info(d: Disclosure) -> RuleInfo:
    """The rule metadata of one disclosure, for reports and SARIF."""
    keys = "; ".join(k.label() for k in d.keys) or "(stated from the inventory as a whole)"
    return RuleInfo(
        id=d.rule_id, title=f"Privacy policy must disclose: {d.title}", pack=PACK, law=d.law,
        citation=d.citation, severity=d.severity, description=d.text + (f" Note: {d.note}" if d.note else ""),
        remediation=f"Add {keys} to the inventory, then render the policy again (`governance policy render`).",
    )


def disclosure_infos() -> list[RuleInfo]:
    """Rule metadata of every disclosure, whether or not it applies."""
    return [rule_info(d) for d in disclosures()]


def disclosure_info(rule_id: str) -> RuleInfo | None:
    """The disclosure rule with this id (``DISCLOSE-GDPR-13-1-A``), whatever its letter case."""
    wanted = rule_id.strip().upper()
    return next((info for info in disclosure_infos() if info.id == wanted), None)


def applicable_rules(loaded: LoadedInventory, proven: frozenset[str] = frozenset()) -> list[RuleInfo]:
    """Rule metadata of every disclosure that applies to this inventory (and to the facts the data proves)."""
    return [rule_info(d) for d in disclosures() if d.applies(loaded.inventory, proven)]


def check_completeness(loaded: LoadedInventory, proven: frozenset[str] = frozenset()) -> list[Violation]:
    """One violation per applicable disclosure with a missing inventory key (per place it is missing).

    ``proven``: facts of :data:`governance.policy.requirements.FACTS` the scanned data shows.
    """
    inv = loaded.inventory
    out: list[Violation] = []
    for d in disclosures():
        if not d.applies(inv, proven):
            continue
        info = rule_info(d)
        for key in d.keys:
            for loc in key.missing(inv):
                target = format_loc(loc)
                alternatives = f"; supply one of {key.label()}" if key.kind == "any_of" else ""
                out.append(Violation(
                    rule=info,
                    message=(f"The privacy policy cannot state \"{d.title}\" ({d.citation}): "
                             f"`{target}` is missing from the inventory{alternatives}."),
                    location=loaded.where(loc),
                    target=target,
                ))
    return out
