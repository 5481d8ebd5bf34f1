"""Keep every published version of the policy, and say in plain language what changed.

A version directory ``<versions>/<version>/`` holds the rendered policy
(``policy.md``, ``policy.html``, ``policy.pdf``), the view model it was rendered
from (``context.json``) and ``meta.json`` (version, effective date, formats, hashes).
:func:`diff` compares two view models, not two texts, and marks **material**
changes (a new category, purpose or recipient, a new sale or sharing) that call
for notifying customers before they take effect.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from governance.errors import ConfigError, InputError
from governance.fileio import atomic_write
from governance.policy.context import PolicyContext, example_label
from governance.policy.render import FORMATS

CONTEXT_FILE = "context.json"
META_FILE = "meta.json"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "unversioned"


def save_version(versions_dir: str | Path, context: PolicyContext, rendered: str | bytes, fmt: str,
                 inventory: str = "", lang: str = "en") -> Path:
    """Store ``rendered`` (format ``fmt``, language ``lang``) and its view model under ``versions_dir/<version>/``.

    Saving another format or language of the same version adds a file (``policy.fa.html``
    beside ``policy.html``); ``context`` is the English view model whatever the language,
    so versions compare by content. Saving a version whose content differs from what is
    already stored under that version is refused.
    """
    target = Path(versions_dir) / _slug(context.version or context.effective_date or "unversioned")
    data = json.dumps(context.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    stored = target / CONTEXT_FILE
    if stored.exists() and stored.read_text(encoding="utf-8") != data:
        raise ConfigError(f"version '{context.version}' is already saved with different content",
                          where=str(target), hint="raise notices.version in the inventory for a changed policy")
    meta_path = target / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {"formats": {}}
    payload = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    name = f"policy.{FORMATS[fmt].extension}" if lang == "en" else f"policy.{lang}.{FORMATS[fmt].extension}"
    with atomic_write(target / name, "wb") as fh:
        fh.write(payload)
    with atomic_write(stored) as fh:
        fh.write(data)
    meta.update(version=context.version, effective_date=context.effective_date, inventory=inventory)
    meta["formats"][fmt if lang == "en" else f"{fmt}:{lang}"] = {"file": name, "sha256": hashlib.sha256(payload).hexdigest(),
                            "saved_at": datetime.now(UTC).isoformat(timespec="seconds")}
    with atomic_write(meta_path) as fh:
        json.dump(meta, fh, indent=2, sort_keys=True)
        fh.write("\n")
    return target


def load_version(path: str | Path) -> dict:
    """The stored view model of a version: a version directory, its ``context.json``, or a file in it."""
    path = Path(path)
    candidate = path / CONTEXT_FILE if path.is_dir() else (path if path.name == CONTEXT_FILE else path.parent / CONTEXT_FILE)
    if not candidate.exists():
        raise InputError("not a saved policy version (no context.json)", where=str(path),
                         hint="save versions with `governance policy render --save-version DIR`")
    try:
        return json.loads(candidate.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"context.json cannot be read ({exc.__class__.__name__})", where=str(candidate)) from None


@dataclass
class Change:
    """One difference between two versions, in plain language."""

    section: str
    summary: str
    material: bool = False


@dataclass
class PolicyDiff:
    """What changed from ``old_version`` to ``new_version``."""

    old_version: str | None
    new_version: str | None
    changes: list[Change] = field(default_factory=list)

    @property
    def material(self) -> list[Change]:
        """Changes that require notifying customers."""
        return [c for c in self.changes if c.material]

    def to_dict(self) -> dict:
        return {"old_version": self.old_version, "new_version": self.new_version,
                "material": bool(self.material),
                "changes": [c.__dict__ for c in self.changes]}

    def to_text(self) -> str:
        """A plain-language summary, material changes first."""
        head = f"Changes from version {self.old_version or '(none)'} to {self.new_version or '(none)'}:"
        if not self.changes:
            return head + "\n  no changes.\n"
        lines = [head]
        for c in sorted(self.changes, key=lambda c: not c.material):
            lines.append(f"  {'MATERIAL ' if c.material else ''}[{c.section}] {c.summary}")
        if self.material:
            lines.append(f"{len(self.material)} material change(s): tell customers before the new version takes effect.")
        else:
            lines.append("No material changes.")
        return "\n".join(lines) + "\n"


def _by(items: list[dict], key: str) -> dict[str, dict]:
    return {item[key]: item for item in items}


def _categories(ctx: dict) -> dict[str, tuple[str, str]]:
    return {c: (example_label(c), g["label"]) for g in ctx["category_groups"] for c in g["categories"]}


def _diff_categories(old: dict, new: dict, out: list[Change]) -> None:
    before, after = _categories(old), _categories(new)
    for cat in after.keys() - before.keys():
        out.append(Change("Information we collect", f"New category collected: {after[cat][0]} ({after[cat][1]}).", True))
    for cat in before.keys() - after.keys():
        out.append(Change("Information we collect", f"No longer collected: {before[cat][0]} ({before[cat][1]})."))
    old_src = {s["label"] for s in old["sources"]}
    for src in sorted({s["label"] for s in new["sources"]} - old_src):
        out.append(Change("Where the information comes from", f"New source: {src}."))


def _diff_purposes(old: dict, new: dict, out: list[Change]) -> None:
    before, after = _by(old["purposes"], "id"), _by(new["purposes"], "id")
    for pid in after.keys() - before.keys():
        out.append(Change("How we use it and why", f"New purpose: {after[pid]['description']}", True))
    for pid in before.keys() - after.keys():
        out.append(Change("How we use it and why", f"Purpose dropped: {before[pid]['description']}"))
    for pid in before.keys() & after.keys():
        a, b = before[pid], after[pid]
        if a["legal_basis"] != b["legal_basis"]:
            out.append(Change("How we use it and why", f"Legal basis for \"{b['description']}\" changed from "
                                                       f"{a['legal_basis']} to {b['legal_basis']}.", True))
        new_groups = sorted(set(b["groups"]) - set(a["groups"]))
        if new_groups:
            out.append(Change("How we use it and why", f"\"{b['description']}\" now also uses: {', '.join(new_groups)}.", True))
        if a["description"] != b["description"]:
            out.append(Change("How we use it and why", f"Purpose reworded: \"{a['description']}\" -> \"{b['description']}\"."))


def _diff_recipients(old: dict, new: dict, out: list[Change]) -> None:
    before, after = _by(old["recipients"], "id"), _by(new["recipients"], "id")
    for rid in after.keys() - before.keys():
        r = after[rid]
        out.append(Change("Who we share it with", f"New recipient: {r['name']} ({r['type_label'].lower()}, "
                                                  f"{r['disclosure_label'].lower()}).", True))
    for rid in before.keys() - after.keys():
        out.append(Change("Who we share it with", f"No longer disclosed to: {before[rid]['name']}."))
    for rid in before.keys() & after.keys():
        a, b = before[rid], after[rid]
        if a["disclosure"] != b["disclosure"]:
            material = b["disclosure"] in ("sale", "sharing")
            out.append(Change("Who we share it with", f"{b['name']}: {a['disclosure_label'].lower()} -> "
                                                      f"{b['disclosure_label'].lower()}.", material))
        added = sorted(set(b["groups"]) - set(a["groups"]))
        if added:
            out.append(Change("Who we share it with", f"{b['name']} now also receives: {', '.join(added)}.", True))
        if a["country"] != b["country"]:
            out.append(Change("International transfers", f"{b['name']} now processes data in {b['country_name']}."))
    sold = sorted(set(new["sold_or_shared_groups"]) - set(old["sold_or_shared_groups"]))
    if sold:
        out.append(Change("Who we share it with", f"Now sold or shared: {', '.join(sold)}.", True))
    if new["organization"]["sells_personal_information_of_under_16"] and not old["organization"]["sells_personal_information_of_under_16"]:
        out.append(Change("Who we share it with", "Now sells or shares personal information of consumers under 16.", True))


def _diff_text(old: dict, new: dict, out: list[Change]) -> None:
    for g_new in new["category_groups"]:
        g_old = next((g for g in old["category_groups"] if g["key"] == g_new["key"]), None)
        if g_old and g_old["retention"] != g_new["retention"]:
            out.append(Change("How long we keep it", f"Retention of {g_new['label'].lower()} changed: "
                                                     f"{'; '.join(g_new['retention'])}."))
    for key in sorted(set(old["notices"]) | set(new["notices"])):
        if old["notices"].get(key) != new["notices"].get(key):
            out.append(Change("Notices", f"Statement '{key.replace('_', ' ')}' changed."))
    if old["contact"] != new["contact"]:
        out.append(Change("Contact us", "Privacy contact details changed."))
    if old["security"] != new["security"]:
        out.append(Change("How we protect it", "Security measures changed."))
    if old["requests"] != new["requests"]:
        out.append(Change("How to make a request", "Request methods or verification changed."))
    if old["children"] != new["children"]:
        out.append(Change("Children's privacy", "Children's privacy section changed.", new["children"].get("applies", False)
                          and not old["children"].get("applies", False)))


#: the comparisons, in the order their changes are listed
COMPARISONS = (_diff_categories, _diff_purposes, _diff_recipients, _diff_text)


def diff(old: dict, new: dict) -> PolicyDiff:
    """Compare two stored view models (``load_version``) and list the changes in plain language."""
    result = PolicyDiff(old.get("version"), new.get("version"))
    for compare in COMPARISONS:
        compare(old, new, result.changes)
    return result
