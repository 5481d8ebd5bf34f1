"""Benchmark of `governance risk` (issue 18): k-anonymity, l-diversity and k-map on a 1M-row CSV.

    python benchmarks/risk.py [--rows 1000000] [--seed 7] [--out benchmarks/data]

Writes `risk_N.csv` (ZIP code, date of birth, sex, diagnosis: uniform random, seeded) and
`risk_population_N.csv` (population counts per ZIP3/birth year/sex), reused while the size and
seed are unchanged, then times the command in a fresh process, the way a user runs it, and
prints the wall-clock seconds and the report. The target is 10 s for 1M rows.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIAGNOSES = ["J45.909", "E78.5", "I10", "E11.9", "J30.1", "L20.9", "K21.9", "F41.1"]


def generate(rows: int, seed: int, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    table, population = out / f"risk_{rows}_{seed}.csv", out / f"risk_population_{rows}_{seed}.csv"
    if table.exists() and population.exists():
        return table, population
    rng = random.Random(seed)
    start = date(1930, 1, 1)
    with open(table, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["zip", "birth_date", "sex", "diagnosis"])
        for _ in range(rows):
            w.writerow([f"{rng.randint(10000, 99999)}", (start + timedelta(days=rng.randint(0, 27000))).isoformat(),
                        rng.choice("FM"), rng.choice(DIAGNOSES)])
    with open(population, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["zip", "birth_date", "sex", "people"])
        for _ in range(rows // 10):
            w.writerow([f"{rng.randint(10000, 99999)}", (start + timedelta(days=rng.randint(0, 27000))).isoformat(),
                        rng.choice("FM"), rng.randint(1, 400)])
    return table, population


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "data")
    args = parser.parse_args()
    table, population = generate(args.rows, args.seed, args.out)
    command = [sys.executable, "-c", "from governance.cli import main; main()", "risk", str(table),
               "--quasi", "zip,birth_date,sex", "--sensitive", "diagnosis",
               "--population", str(population), "--population-count", "people"]
    began = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=HERE.parent)
    seconds = time.perf_counter() - began
    print(result.stdout, end="")
    print(f"{args.rows} rows: {seconds:.1f} s wall clock (target 10 s)")


if __name__ == "__main__":
    main()
