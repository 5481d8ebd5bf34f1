"""One way to compare output with a golden file: ``pytest --update-golden`` rewrites them for review."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path


def locale_data_versions() -> str:
    """The packages whose data shapes dates, numbers and month names in localised output."""
    import babel

    return f"Babel {version('babel')} (CLDR {babel.core.get_cldr_version()}), Jinja2 {version('jinja2')}"


def assert_golden(path: Path, text: str, update: bool, *, localised: bool = False) -> None:
    """Fail unless ``text`` equals the file; a localised document names the locale data to suspect."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden file {path} is missing; run pytest --update-golden and review it"
    hint = "review the diff, then pytest --update-golden to accept"
    if localised:
        hint = (f"if no template or catalog changed, suspect the locale data: this run has {locale_data_versions()}; "
                f"the golden files were made with the versions in requirements/lock.txt (make install); {hint}")
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs from its golden file; {hint}"
