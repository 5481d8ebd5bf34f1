"""Officer accounts: ``name -> argon2id hash`` in a YAML file (default ``<inventory dir>/.dsr/officers.yaml``).

``governance users add NAME`` writes an account (the password is asked for, never
echoed, and only its argon2id hash is stored). ``GOVERNANCE_OFFICERS_FILE`` names
another file. :func:`authenticate` spends the same hashing work on an unknown name as on a
known one, so a login's timing does not tell which names exist.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from governance.errors import ConfigError, InputError
from governance.fileio import atomic_write

ENV_FILE = "GOVERNANCE_OFFICERS_FILE"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 12
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not a password of anyone")


def officers_file(inventory_dir: Path) -> Path:
    """Where the accounts are: ``$GOVERNANCE_OFFICERS_FILE`` or ``<inventory dir>/.dsr/officers.yaml``."""
    given = os.environ.get(ENV_FILE)
    return Path(given) if given else inventory_dir / ".dsr" / "officers.yaml"


def load_officers(path: Path) -> dict[str, str]:
    """``{name: hash}``; an empty dict when the file does not exist yet."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the officer accounts ({exc.__class__.__name__})", where=str(path)) from None
    officers = data.get("officers") if isinstance(data, dict) else None
    if not isinstance(officers, dict) or not all(isinstance(v, str) and v.startswith("$argon2") for v in officers.values()):
        raise ConfigError("expected 'officers:' mapping each name to an argon2 hash", where=f"{path}: officers",
                          hint="write accounts with `governance users add NAME`")
    return {str(k): v for k, v in officers.items()}


def add_officer(path: Path, name: str, password: str) -> bool:
    """Store ``name`` with the hash of ``password`` (atomic replace); True when the name is new."""
    if not NAME.match(name):
        raise ConfigError(f"'{name}' is not a usable account name",
                          hint="use 1-64 letters, digits, '.', '_', '@' or '-'")
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"the password is shorter than {MIN_PASSWORD} characters", hint="choose a longer one")
    officers = load_officers(path)
    new = name not in officers
    officers[name] = _hasher.hash(password)
    with atomic_write(path) as fh:
        fh.write("# Officer accounts of `governance serve` (argon2id hashes; written by `governance users add`)\n")
        yaml.safe_dump({"officers": officers}, fh, sort_keys=True)
    os.chmod(path, 0o600)
    return new


def authenticate(officers: dict[str, str], name: str, password: str) -> bool:
    """True when ``password`` matches ``name``'s hash."""
    stored = officers.get(name)
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
