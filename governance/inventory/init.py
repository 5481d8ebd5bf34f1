"""The work behind ``governance init SOURCE...``: scan, propose database keys, build the starter."""

from __future__ import annotations

from pathlib import Path

from governance.errors import InputError
from governance.inventory.starter import Starter, starter_from_scan
from governance.masking import mask_url_password
from governance.scan.options import ScanOptions


def starter_for_sources(sources: list[str], base_dir: Path, options: ScanOptions | None = None) -> Starter:
    """Scan ``sources`` and describe every table as a draft dataset (paths relative to ``base_dir``)."""
    from governance.inventory.references import database_keys
    from governance.scan.api import scan

    result = scan(sources, options or ScanOptions())
    if result.errors:
        raise InputError(f"{len(result.errors)} source(s) could not be scanned",
                         details=[f"{e.source}: {e.message}" for e in result.errors])
    references, primary_keys = {}, {}
    for source in sources:
        if "://" in source:
            refs, pks = database_keys(source)
            references[mask_url_password(source)] = refs
            primary_keys[mask_url_password(source)] = pks
    return starter_from_scan(result, sources, base_dir, references, primary_keys)
