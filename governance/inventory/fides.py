"""Import a Fides manifest (``dataset:`` and ``system:`` resources, fideslang models) as a starter inventory.

Each dataset collection becomes an inventory dataset (nested fields become dotted
names, as the scanner names JSON paths); each privacy declaration of a system becomes
a purpose, given to the fields whose dataset the declaration references and whose
category it covers. Fides does not record where a collection lives, so locations are
left as TODO for a person to fill in.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from governance.errors import ConfigError
from governance.inventory.starter import Starter, StarterDataset, StarterField, StarterPurpose, identifier
from governance.taxonomy import category_matches, data_categories, data_uses
from governance.yamlio import format_loc, load_yaml, validation_error

#: fideslang LegalBasisForProcessingEnum value -> inventory legal_basis (GDPR Art. 6(1)(a)-(f))
LEGAL_BASES = {
    "Consent": "consent",
    "Contract": "contract",
    "Legal obligations": "legal_obligation",
    "Vital interests": "vital_interests",
    "Public interest": "public_task",
    "Legitimate interests": "legitimate_interests",
}

#: fideslang SpecialCategoryLegalBasisEnum value -> GDPR Art. 9(2) point
SPECIAL_CATEGORY_BASES = {
    "Explicit consent": "9(2)(a)",
    "Employment, social security and social protection": "9(2)(b)",
    "Vital interests": "9(2)(c)",
    "Not-for-profit bodies": "9(2)(d)",
    "Made public by the data subject": "9(2)(e)",
    "Legal claims or judicial acts": "9(2)(f)",
    "Reasons of substantial public interest (with a basis in law)": "9(2)(g)",
    "Health or social care (with a basis in law)": "9(2)(h)",
    "Public health (with a basis in law)": "9(2)(i)",
    "Archiving, research and statistics (with a basis in law)": "9(2)(j)",
}


def _known_category(key: str) -> str | None:
    """The key itself, or its nearest ancestor in the default taxonomy (custom Fides categories)."""
    parts = key.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in data_categories():
            return candidate
        parts.pop()
    return None


def _flatten(fields, prefix: str = ""):
    for f in fields or []:
        name = f"{prefix}{f.name}"
        if f.fields:
            yield from _flatten(f.fields, name + ".")
        else:
            yield name, f


def _validate(doc, section: str, model) -> list:
    raw = doc.data.get(section) or []
    if not isinstance(raw, list):
        raise ConfigError(f"'{section}' must be a list", where=f"{doc.path}:{doc.line_of((section,)) or 1}")
    items, problems = [], []
    for i, item in enumerate(raw):
        try:
            items.append(model.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                loc = (section, i) + tuple(err["loc"])
                problems.append((f"{doc.path}:{doc.line_of(loc) or 1}: {format_loc(loc)}", err["msg"]))
    if problems:
        raise validation_error(problems, "the Fides manifest")
    return items


def import_fides(path: str | Path) -> Starter:
    """Read a Fides manifest and return the starter inventory it describes."""
    from fideslang.models import Dataset, System

    doc = load_yaml(path)
    if not isinstance(doc.data, dict) or not ({"dataset", "system"} & set(doc.data)):
        raise ConfigError("not a Fides manifest: expected a top-level 'dataset' or 'system' list", where=f"{doc.path}:1")
    datasets = _validate(doc, "dataset", Dataset)
    systems = _validate(doc, "system", System)

    starter, taken_purposes = Starter(origin=f"the Fides manifest {Path(path).name}"), set()
    declarations = []  # (purpose id, categories, dataset keys or None for all)
    for system in systems:
        for decl in system.privacy_declarations:
            use = decl.data_use if decl.data_use in data_uses() else None
            basis = LEGAL_BASES.get(getattr(decl.legal_basis_for_processing, "value", None) or "")
            special = SPECIAL_CATEGORY_BASES.get(getattr(decl.special_category_legal_basis, "value", None) or "")
            notes = []
            if use is None:
                notes.append(f"TODO Fides data use '{decl.data_use}' is not in the default taxonomy")
            if basis is None:
                notes.append("TODO legal basis not stated in the manifest; confirm it")
            pid = identifier((decl.name or decl.data_use).lower(), taken_purposes)
            starter.purposes.append(StarterPurpose(
                pid, use or "essential", f"{system.name or system.fides_key}: {decl.name or decl.data_use}",
                basis or "legitimate_interests", special, "; ".join(notes),
            ))
            refs = decl.dataset_references or system.dataset_references
            declarations.append((pid, decl.data_categories, set(refs) if refs else None))

    taken_datasets: set[str] = set()
    for dataset in datasets:
        for collection in dataset.collections:
            ds = StarterDataset(
                id=identifier(collection.name, taken_datasets),
                location={"url": f"TODO://{dataset.fides_key}", "table": collection.name},
                description=collection.description or dataset.description or dataset.name or "",
                comment=f"Fides dataset {dataset.fides_key}, collection {collection.name}",
            )
            for name, fld in _flatten(collection.fields):
                cats = list(fld.data_categories or [])
                category = _known_category(cats[0]) if cats else None
                if category is None:
                    note = "no data category in the manifest" if not cats else f"TODO '{cats[0]}' is not a fideslang key"
                    ds.fields.append(StarterField(name, comment=note))
                    continue
                purposes = [pid for pid, decl_cats, refs in declarations
                            if (refs is None or dataset.fides_key in refs)
                            and any(category_matches(c, category) for c in decl_cats)]
                notes = [] if category == cats[0] else [f"TODO Fides category '{cats[0]}' is not a fideslang key; nearest: {category}"]
                notes += [f"also tagged {', '.join(cats[1:])}"] if len(cats) > 1 else []
                ds.fields.append(StarterField(name, category, purposes, "; ".join(notes)))
            starter.datasets.append(ds)
    return starter
