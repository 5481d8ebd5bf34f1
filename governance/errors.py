"""Typed errors. Library code raises these; the CLI turns them into one line and exit code 2."""

from __future__ import annotations


class GovernanceError(Exception):
    """Base class: a problem the user can fix, described in one line."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        hint: str | None = None,
        details: list[str] | None = None,
    ):
        self.message = message
        self.where = where
        self.hint = hint
        self.details = details or []
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """``where: message (hint)``: the line the CLI prints."""
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def lines(self) -> list[str]:
        """The summary line followed by one line per problem (for errors that list several)."""
        return [self.one_line()] + [f"  {d}" for d in self.details]


class InputError(GovernanceError):
    """A data source cannot be read: missing file, bad encoding, corrupt file, unreachable database."""


class OutputError(GovernanceError):
    """A report, letter or export cannot be written where it was asked to go."""


class ConfigError(GovernanceError):
    """A file the user wrote (inventory, rule, waiver, baseline) is invalid."""


class ModelNotInstalledError(GovernanceError):
    """The configured spaCy model is not installed."""


class DsrError(GovernanceError):
    """A data-subject request cannot be carried out as asked."""


def as_error(exc: BaseException) -> GovernanceError:
    """Any exception as a :class:`GovernanceError`: the one error path of every command.

    File-system errors name the file and the system's reason. Anything else unexpected
    names only its type and the code line it came from: its message may quote data.
    """
    if isinstance(exc, GovernanceError):
        return exc
    if isinstance(exc, OSError):
        where = exc.filename if isinstance(exc.filename, str) else None
        return InputError(exc.strerror or exc.__class__.__name__, where=where, hint=os_hint(exc))
    if isinstance(exc, UnicodeDecodeError):  # e.g. a database declared SQL_ASCII holding Latin-1 bytes
        return InputError(f"text that is not valid {exc.encoding} (byte {exc.start} of a value)",
                          hint="check the encoding the source declares, or convert its data")
    if isinstance(exc, RecursionError):
        return InputError("the input is nested too deeply to read", hint="lower its nesting, or split it")
    if isinstance(exc, MemoryError):
        return InputError("out of memory", hint="lower --batch-size or the limits set with --limit")
    return GovernanceError(
        f"internal error ({exc.__class__.__name__} at {_origin(exc)})",
        hint="run with --debug for the traceback and report it",
    )


def os_hint(exc: OSError) -> str:
    """What to do about a file-system error, by its errno."""
    import errno

    return {
        errno.EACCES: "check the permissions, or choose another place",
        errno.EPERM: "check the permissions, or choose another place",
        errno.ENOENT: "check the path",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EROFS: "the file system is read-only: choose another place",
        errno.ENOSPC: "the disk is full",
        errno.ELOOP: "a symbolic link points (through others) back to itself",
    }.get(exc.errno or 0, "check the path and its permissions")


def _origin(exc: BaseException) -> str:
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown place"
    frame = frames[-1]
    name = frame.filename.replace("\\", "/")
    module = "governance/" + name.rsplit("/governance/", 1)[1] if "/governance/" in name else name.rsplit("/", 1)[-1]
    return f"{module}:{frame.lineno}"
