"""The lock (requirements/*.txt, written by `make lock`) agrees with pyproject.toml and with what is installed."""

from __future__ import annotations

import os
import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def read_lock(name: str) -> dict[str, tuple[str, str | None, int]]:
    """{canonical name: (version, environment marker or None, number of hashes)} of one lock file."""
    pins: dict[str, tuple[str, str | None, int]] = {}
    current = None
    for line in (REPO / "requirements" / name).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            pins[current] = (match[2], match[3], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            ver, marker, hashes = pins[current]
            pins[current] = (ver, marker, hashes + 1)
    return pins


def declared(*extras: str) -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


LOCKS = {"lock.txt": ("test", "pdf"), "bench.txt": ("test", "pdf", "bench")}


@pytest.mark.parametrize(("lock", "extras"), LOCKS.items())
def test_every_declared_dependency_is_locked_within_its_range(lock, extras):
    pins = read_lock(lock)
    wrong = []
    for req in declared(*extras):
        pinned = pins.get(canonicalize_name(req.name))
        if pinned is None:
            wrong.append(f"{req.name} is not in requirements/{lock}")
        elif not req.specifier.contains(pinned[0], prereleases=True):
            wrong.append(f"{req.name}=={pinned[0]} is outside pyproject.toml's {req.specifier}")
    assert not wrong, "; ".join(wrong) + ": run `make lock` and commit requirements/"


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_carries_a_hash(lock):
    pins = read_lock(lock)
    assert len(pins) > 50
    assert [name for name, (_, _, hashes) in pins.items() if hashes == 0] == []


@pytest.mark.parametrize(("lock", "extras"), LOCKS.items())
def test_lock_has_no_direct_dependency_that_pyproject_dropped(lock, extras):
    """A pin whose only reason is pyproject.toml must still be declared there."""
    text = (REPO / "requirements" / lock).read_text(encoding="utf-8")
    direct = {canonicalize_name(r.name) for r in declared(*extras)}
    only_ours = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==[^\n]*\n(?:    --hash[^\n]*\n)+    # via governance \(pyproject\.toml\)\n",
                           text, flags=re.M)
    assert only_ours, "the lock no longer records why each pin is there; was it written by `make lock`?"
    assert sorted({canonicalize_name(n) for n in only_ours} - direct) == []


@pytest.mark.skipif(os.environ.get("GOVERNANCE_REQUIRE_LOCK") != "1",
                    reason="set by `make test`: this environment was not installed from the lock")
def test_installed_versions_are_the_locked_ones():
    wrong = []
    for name, (pinned, marker, _) in read_lock("lock.txt").items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = version(name)
        except PackageNotFoundError:
            wrong.append(f"{name} is not installed")
            continue
        if installed != pinned:
            wrong.append(f"{name} {installed} is installed, the lock says {pinned}")
    assert not wrong, "; ".join(wrong) + ": run `make install` (it installs requirements/lock.txt)"
