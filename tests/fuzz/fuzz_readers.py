"""Coverage-guided fuzzing (atheris) of the file readers, the YAML loader and the inventory loader.

    python tests/fuzz/fuzz_readers.py -max_total_time=600        # what `make fuzz` runs
    python tests/fuzz/fuzz_readers.py -runs=300 tests/fixtures/files  # the short run in the test suite

Each input picks a target (a reader by suffix, or the YAML loader) and becomes that file's bytes.
Reading it must end in data or in the toolkit's own one-line error; any other exception is a finding
that atheris reports with the input that caused it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["governance"]):
    from governance.errors import GovernanceError
    from governance.inventory.loader import load_inventory
    from governance.scan.options import ScanOptions
    from governance.scan.readers import reader_for

SUFFIXES = [".csv", ".tsv", ".json", ".jsonl", ".parquet", ".xlsx", ".yaml"]
FOLDER = Path(tempfile.mkdtemp(prefix="governance-fuzz-"))
OPTIONS = ScanOptions(batch_size=7)


def _read(path: Path) -> None:
    if path.suffix == ".yaml":
        load_inventory(path)
        return
    for stream in reader_for(path).open(path, OPTIONS):
        for _ in stream.batches:
            pass


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    suffix = SUFFIXES[provider.ConsumeIntInRange(0, len(SUFFIXES) - 1)]
    path = FOLDER / f"input{suffix}"
    path.write_bytes(provider.ConsumeBytes(sys.maxsize))
    try:
        _read(path)
    except GovernanceError as exc:
        assert "\n" not in exc.one_line(), exc.one_line()


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
