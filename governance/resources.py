"""Locate the data that ships with the toolkit: rule packs, templates, data files, schemas."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """Return the built-in ``rules`` or ``templates`` directory.

    A wheel carries them under ``governance/_bundled/``; a source checkout
    (editable install, tests) has them at the top of the repository.
    """
    for candidate in (PACKAGE_DIR / "_bundled" / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"the built-in '{name}' directory is missing from this installation; reinstall the package"
    )


def data_file(name: str) -> Path:
    """Path of a data file shipped in ``governance/data``."""
    return PACKAGE_DIR / "data" / name


def schema_file(name: str) -> Path:
    """Path of a JSON Schema shipped in ``governance/schemas``."""
    return PACKAGE_DIR / "schemas" / name
