"""A plain `pip install .` (a wheel, not an editable install) carries the rules, templates, data and schemas."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path


def test_wheel_ships_rules_templates_data_and_schemas(tmp_path, repo):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(repo)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("governance-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    def shipped(top: str, prefix: str) -> set[str]:
        return {
            str(p.relative_to(repo / top))
            for p in (repo / top).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
        }

    for top in ("rules", "templates"):
        expected = {f"governance/_bundled/{top}/{rel}" for rel in shipped(top, top)}
        assert expected <= names, sorted(expected - names)[:5]
    for top in ("governance/data", "governance/schemas"):
        expected = {f"{top}/{rel}" for rel in shipped(top, top)}
        assert expected <= names, sorted(expected - names)[:5]
    assert "governance/data/entities.yaml" in names
    assert any(n.startswith("governance/_bundled/rules/") for n in names)
    assert any(n.startswith("governance/_bundled/templates/") for n in names)


def test_console_script_runs_the_quick_start_in_a_fresh_process(repo):
    """The README's first command, through the installed `governance` script in a new interpreter:
    CliRunner shares the test process, and an editable install's import hook, whose imports can hide
    a missing one (``importlib.util`` was: `make demo` failed on a plain install)."""
    script = Path(sys.executable).with_name("governance")
    done = subprocess.run(
        [str(script), "scan", str(repo / "policies" / "example" / "data"), "--no-ner", "--fail-on", "none", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"]
