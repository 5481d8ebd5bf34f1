"""governance: find personal data, check it against the law and your declarations,
publish the privacy policy, and answer data-subject requests.

Everything the ``governance`` command does is available here::

    import governance
    result = governance.scan(["customers.csv"])
    loaded = governance.load_inventory("policies/")

Heavy dependencies (spaCy, Presidio) load only when a scan needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "scan", "ScanOptions", "load_inventory"]


def __getattr__(name: str):
    if name == "scan":
        from governance.scan.api import scan

        return scan
    if name == "ScanOptions":
        from governance.scan.options import ScanOptions

        return ScanOptions
    if name == "load_inventory":
        from governance.inventory.loader import load_inventory

        return load_inventory
    raise AttributeError(f"module 'governance' has no attribute {name!r}")
