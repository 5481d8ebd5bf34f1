"""Credentials: password hashes, plaintext passwords, usernames."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from governance.masking import mask
from governance.scan.recognizers.base import ColumnView, Pattern, PatternRecognizer, PatternState, Verdict

_B64 = r"[./A-Za-z0-9+]"


class PasswordHashRecognizer(PatternRecognizer):
    """Password hashes in the modular-crypt and framework formats; bare hex digests only in columns named like passwords."""

    ENTITY = "PASSWORD_HASH"
    PATTERNS = (
        Pattern("bcrypt", r"\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}", 0.8),
        Pattern("argon2", r"\$argon2(?:id|i|d)\$(?:v=\d+\$)?m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+", 0.8),
        Pattern(
            "scrypt",
            rf"\$scrypt\$[^\s$]*\${_B64}+\${_B64}+|\$7\${_B64}+\${_B64}+|scrypt:\d+:\d+:\d+\$[^\s$]+\$[0-9a-f]+",
            0.8,
        ),
        Pattern(
            "pbkdf2",
            rf"pbkdf2_sha(?:1|256|512)\$\d+\$[^\s$]+\$[A-Za-z0-9+/=]+|\$pbkdf2(?:-sha(?:1|256|512))?\$\d+\${_B64}+\${_B64}+|pbkdf2:sha(?:1|256|512):\d+\$[^\s$]+\$[0-9a-f]+",
            0.8,
        ),
        Pattern("sha-crypt", r"\$[56]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}", 0.8),
        Pattern("md5-crypt", r"\$(?:1|apr1)\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}", 0.8),
        Pattern(
            "hex digest", r"(?i)[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128}", 0.1
        ),
    )
    CONTEXT = ("password", "hash", "digest", "pw")
    CONTEXT_ENTITIES = ("PASSWORD",)
    LEAK = True
    TEXT_BOUNDARY = False
    MIN_SHARE = 0.7
    BASE_CONFIDENCE = 0.78

    def verdict(self, state: PatternState, column: ColumnView) -> Verdict | None:
        found = super().verdict(state, column)
        if found is not None and column.hinted("PASSWORD"):
            found.detectors.insert(0, "name")
        return found


@dataclass
class PasswordState(PatternState):
    """Pattern counts plus how many values look like passwords: lower case plus two of upper case, digits, symbols."""

    complex_values: int = 0

    def merge(self, other: PasswordState, max_examples: int = 3) -> None:
        super().merge(other, max_examples)
        self.complex_values += other.complex_values


class PasswordRecognizer(PatternRecognizer):
    """Plaintext passwords: values without spaces in a column named like a password, a column of
    distinct short values mixing lower case with upper case, digits or symbols, or ``password: …`` in free text."""

    ENTITY = "PASSWORD"
    SOFT = True
    PATTERNS = (
        Pattern("disclosed password", r"(?i)\b(?:password|passwd|pwd)\s*(?:is|:|=)\s*\S{4,64}", 0.5),
        Pattern("no spaces", r"\S{4,128}", 0.1),
    )
    CONTEXT = ("password", "passwd", "pwd", "secret")
    LEAK = True
    TEXT_BOUNDARY = False  # the secret may end in punctuation
    MIN_SHARE_HINTED = 0.6
    BASE_CONFIDENCE = 0.6

    def new_state(self) -> PasswordState:
        return PasswordState()

    def screen(self, values: pl.Series, state: PasswordState, column: ColumnView) -> None:
        super().screen(values, state, column)
        if column.hinted_none:
            return
        others = (
            values.str.contains(r"[A-Z]").cast(pl.Int8)
            + values.str.contains(r"\d").cast(pl.Int8)
            + values.str.contains(r"[^\p{L}\p{N}._-]").cast(pl.Int8)  # a symbol: accented letters (Zürich, Malmö) are none
        )
        mask = (
            values.str.contains(r"^\S{6,32}$")
            & values.str.contains(r"[a-z]")
            & (others >= 2)
            & ~values.str.contains(r"^\$(?:2[abxy]?|argon2|scrypt|pbkdf2|\d)\$|^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$|://")
        )
        state.complex_values += int(mask.sum())

    def verdict(self, state: PasswordState, column: ColumnView) -> Verdict | None:
        if column.hinted(self.ENTITY):
            if column.distinct_ratio < 0.3 or column.mean_length < 4:
                return None  # flags, booleans and reset timestamps, not passwords
            return super().verdict(state, column)
        if not column.non_empty or column.hinted_none:
            return None
        share = state.complex_values / column.non_empty
        # Customers reuse the same weak passwords, so repeats are allowed when nearly every value is complex.
        if share >= 0.6 and (column.distinct_ratio >= 0.9 or (share >= 0.8 and column.distinct_ratio >= 0.5)):
            return Verdict(self.ENTITY, state.complex_values, 0.55 + 0.2 * share, ["pattern"], ["********"])
        return None

    def hit(self, state: PasswordState) -> bool:
        return bool(state.matched or state.complex_values)


@dataclass
class HandleState(PatternState):
    """Pattern counts plus how many values are lower-case login handles (``jsmith``, ``anna.k87``)."""

    handles: int = 0
    marked: int = 0  # handles with a digit, dot or underscore: words alone ("red", "pink") are not logins

    def merge(self, other: HandleState, max_examples: int = 3) -> None:
        super().merge(other, max_examples)
        self.handles += other.handles
        self.marked += other.marked


class UsernameRecognizer(PatternRecognizer):
    """Usernames and login handles: any handle in a column named like usernames; in other columns,
    a column of distinct lower-case handles with letters first, a fifth of them or more carrying a digit,
    dot or underscore (not hex ids, not plain words such as colours)."""

    ENTITY = "USERNAME"
    SOFT = True
    PATTERNS = (Pattern("handle", r"@?[A-Za-z0-9][A-Za-z0-9._-]{1,62}", 0.1),)
    CONTEXT = ("username", "login", "handle", "user")
    MIN_SHARE_HINTED = 0.6

    def new_state(self) -> HandleState:
        return HandleState()

    def screen(self, values: pl.Series, state: HandleState, column: ColumnView) -> None:
        super().screen(values, state, column)
        if column.hint is None:
            handles = values.str.contains(r"^[a-z][a-z0-9._]{2,29}$") & ~values.str.contains(r"^[0-9a-f]+$")
            state.handles += int(handles.sum())
            state.marked += int((handles & values.str.contains(r"[0-9._]")).sum())
            room = column.max_examples - len(state.examples)
            if room > 0:
                state.examples.extend(mask(v, self.ENTITY) for v in values.filter(handles).head(room).to_list())

    def hit(self, state: HandleState) -> bool:
        return bool(state.matched or state.handles)

    def verdict(self, state: HandleState, column: ColumnView) -> Verdict | None:
        if column.distinct_ratio < 0.3:
            return None
        if column.hint is not None:
            return super().verdict(state, column)
        share = state.handles / column.non_empty if column.non_empty else 0.0
        marked = state.marked / state.handles if state.handles else 0.0
        if share >= 0.9 and marked >= 0.2 and column.distinct_ratio >= 0.5 and 4 <= column.mean_length <= 24:
            return Verdict(self.ENTITY, state.handles, 0.5, ["pattern"], list(state.examples))
        return None
