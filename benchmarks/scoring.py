"""Score any tool's output against a dataset's ground truth, by one set of rules.

A tool's output is a :class:`Prediction`: a verdict per column and, for tools that
look inside free text, the (CSV line, category) pairs it reported in the notes
column. The rules are in ``generate.SCORING_RULES`` and the ground-truth file.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from governance.taxonomy import category_overlaps, data_categories


@dataclass
class ColumnCall:
    """What a tool said about one column: its verdict and any other categories it reported there."""

    category: str | None
    entity: str = ""
    share: float = 0.0
    also: list[str] = field(default_factory=list)


@dataclass
class Prediction:
    """A tool's output on one dataset, in tool-neutral form (JSON-serialisable)."""

    tool: str
    rows: int
    columns: dict[str, ColumnCall]
    #: (CSV line, category, entity, score) reported in the leak column; None when the tool cannot report leaks.
    leaks: list[tuple[int, str, str, float]] | None = None
    #: leak findings reported outside the leak column, and row keys that could not be read as a line.
    stray_leaks: int = 0
    unreadable_keys: int = 0
    #: leak findings whose row keys were cut short (matched > keys listed).
    truncated: bool = False
    unmapped_entities: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Prediction:
        data = dict(data)
        data["columns"] = {k: ColumnCall(**v) for k, v in data["columns"].items()}
        if data.get("leaks") is not None:
            data["leaks"] = [tuple(x) for x in data["leaks"]]
        return cls(**data)


@dataclass
class ColumnScore:
    column: str
    source_name: str
    expected: str | None
    got: str | None
    correct: bool
    also: list[str]


@dataclass
class LeakScore:
    planted: dict[str, int]
    found: dict[str, int]
    reported: int
    true_positives: int
    false_positives: list[tuple[int, str, str]]
    missed: list[dict]

    @property
    def precision(self) -> float:
        return self.true_positives / self.reported if self.reported else 1.0

    def recall(self, entity: str | None = None) -> float:
        planted = sum(self.planted.values()) if entity is None else self.planted.get(entity, 0)
        found = sum(self.found.values()) if entity is None else self.found.get(entity, 0)
        return found / planted if planted else 1.0


@dataclass
class Score:
    columns: list[ColumnScore]
    leaks: LeakScore | None

    @property
    def accuracy(self) -> float:
        return sum(c.correct for c in self.columns) / len(self.columns)

    @property
    def misses(self) -> list[ColumnScore]:
        return [c for c in self.columns if not c.correct]

    @property
    def flagged_nonpersonal(self) -> list[ColumnScore]:
        """Columns that are not personal data but were reported as such."""
        return [c for c in self.columns if c.expected is None and c.got is not None]


def accepts(patterns: list[str], category: str | None) -> bool:
    """True when ``category`` is one of ``patterns`` (``x.*`` accepts x's descendants)."""
    if category is None:
        return not patterns
    for pattern in patterns:
        if pattern.endswith(".*"):
            if category.startswith(pattern[:-1]):
                return True
        elif category == pattern:
            return True
    return False


#: Leak recall targets per table (issue 3; issue 7 asks the same of the fa and vi tables): 100 % for
#: identifiers with a check digit, 95 % for e-mails, phones and the CCCD/CMND (which have none).
LEAK_TARGETS = {
    "en": {"US_SSN": 1.0, "CREDIT_CARD": 1.0, "IBAN_CODE": 1.0, "EMAIL_ADDRESS": 0.95, "PHONE_NUMBER": 0.95},
    "fa": {"NATIONAL_ID": 1.0, "CREDIT_CARD": 1.0, "IBAN_CODE": 1.0, "EMAIL_ADDRESS": 0.95, "PHONE_NUMBER": 0.95},
    "vi": {"NATIONAL_ID": 0.95, "CREDIT_CARD": 1.0, "EMAIL_ADDRESS": 0.95, "PHONE_NUMBER": 0.95},
}

_LINE = re.compile(r"^line (\d+)$")


def line_of(row_key: str) -> int | None:
    """The CSV line of a row key (``line 12``), or None for a key in another form."""
    match = _LINE.match(row_key.strip())
    return int(match.group(1)) if match else None


def accept_list_problems(truth: dict) -> list[str]:
    """Accept patterns that name no fideslang category, and expected categories their own accept list refuses."""
    categories = data_categories()
    problems = []
    for column in truth["columns"]:
        problems += [f"{column['name']}: unknown category {p}" for p in column["accept"] if p.removesuffix(".*") not in categories]
        expected = column["expected"]
        if expected and not (expected in categories and accepts(column["accept"], expected)):
            problems.append(f"{column['name']}: expected {expected} is unknown or not accepted")
    return problems


def score_columns(truth: dict, prediction: Prediction) -> list[ColumnScore]:
    out = []
    for col in truth["columns"]:
        call = prediction.columns.get(col["name"]) or ColumnCall(None)
        got = call.category
        correct = got is None if col["expected"] is None else accepts(col["accept"], got)
        out.append(ColumnScore(col["name"], col["source_name"], col["expected"], got, correct, call.also))
    return out


def score_leaks(truth: dict, reported: list[tuple[int, str, str, float]], min_score: float = 0.0) -> LeakScore:
    """Match reported (line, category) pairs in the notes column to the planted leaks.

    Reports scored below ``min_score`` are ignored (0 keeps them all, as Presidio does by default).
    """
    planted_at = {leak["line"]: leak for leak in truth["leaks"]}
    pairs: dict[tuple[int, str], str] = {}
    for line, category, entity, confidence in reported:
        if confidence >= min_score:
            pairs.setdefault((line, category), entity)
    found_lines: set[int] = set()
    true_positives, false_positives = 0, []
    for (line, category), entity in sorted(pairs.items()):
        leak = planted_at.get(line)
        if leak is not None and category_overlaps(leak["category"], category):
            true_positives += 1
            found_lines.add(line)
        else:
            false_positives.append((line, category, entity))
    planted: dict[str, int] = {}
    found: dict[str, int] = {}
    missed = []
    for leak in truth["leaks"]:
        planted[leak["entity"]] = planted.get(leak["entity"], 0) + 1
        if leak["line"] in found_lines:
            found[leak["entity"]] = found.get(leak["entity"], 0) + 1
        else:
            missed.append(leak)
    return LeakScore(planted, found, len(pairs), true_positives, false_positives, missed)


def score(truth: dict, prediction: Prediction, min_leak_score: float = 0.0) -> Score:
    """Column accuracy and, where the tool reports leaks, leak recall and precision."""
    leaks = None if prediction.leaks is None else score_leaks(truth, prediction.leaks, min_leak_score)
    return Score(score_columns(truth, prediction), leaks)


def shortfalls(result: Score, floor: float, recall_targets: dict[str, float], min_precision: float = 0.95) -> list[str]:
    """Every way ``result`` falls short of the targets, named column by column and leak by leak."""
    problems = []
    if result.accuracy < floor:
        problems.append(f"column accuracy {result.accuracy:.3f} < {floor}:")
        problems += [f"  {c.column} ({c.source_name}): expected {c.expected}, got {c.got}" for c in result.misses]
    for c in result.flagged_nonpersonal:
        problems.append(f"non-personal column flagged: {c.column} ({c.source_name}) as {c.got}")
    leaks = result.leaks
    for entity, target in recall_targets.items():
        if leaks.recall(entity) < target:
            missed = [f"line {m['line']} ({m['form']})" for m in leaks.missed if m["entity"] == entity]
            problems.append(f"leak recall {entity} {leaks.recall(entity):.2f} < {target}: missed {', '.join(missed)}")
    if leaks.precision < min_precision:
        kinds = sorted({f"{entity}@line {line}" for line, _, entity in leaks.false_positives})
        problems.append(f"leak precision {leaks.precision:.3f} < {min_precision}: false positives {', '.join(kinds[:20])}")
    return problems


def rows_slice(truth: dict, rows: int) -> dict:
    """The ground truth of the first ``rows`` rows (for a tool run on a slice)."""
    return {**truth, "rows": rows, "leaks": [leak for leak in truth["leaks"] if leak["row"] < rows]}


def majority_call(entity_counts: dict[str, int], category_of) -> ColumnCall:
    """Column verdict as presidio-structured makes it: the entity found in most cells."""
    if not entity_counts:
        return ColumnCall(None)
    ranked = sorted(entity_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    entity, count = ranked[0]
    total = sum(entity_counts.values())
    also = sorted({c for e, _ in ranked[1:] if (c := category_of(e)) is not None and c != category_of(entity)})
    return ColumnCall(category_of(entity), entity, count / total, also)
