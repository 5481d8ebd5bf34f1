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


class ConfigError(GovernanceError):
    """A file the user wrote (inventory, rule, waiver, baseline) is invalid."""


class ModelNotInstalledError(GovernanceError):
    """The configured spaCy model is not installed."""


class DsrError(GovernanceError):
    """A data-subject request cannot be carried out as asked."""
