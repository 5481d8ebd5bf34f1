# Two commands get you going (see README.md):
#   make demo   installs the locked versions into .venv and scans the bundled example
#   make test   installs the locked versions into .venv and runs the whole test suite
# `make lock` refreshes requirements/lock.txt (and bench.txt) after pyproject.toml changes.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
# The extras the lock covers; the test suite checks the lock against pyproject.toml.
LOCK_EXTRAS := --extra test --extra pdf
COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet --custom-compile-command "make lock"

.PHONY: install demo test fuzz bench lock clean

install:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/lock.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation .

demo: install
	$(BIN)/governance scan policies/example/data --fail-on none

test: install
	GOVERNANCE_REQUIRE_LOCK=1 $(BIN)/python -m pytest

# Coverage-guided fuzzing of the readers and loaders (the test suite runs 500 inputs; this runs 10 minutes).
fuzz: install
	mkdir -p .fuzz-corpus
	$(BIN)/python tests/fuzz/fuzz_readers.py -max_total_time=600 -artifact_prefix=.fuzz-corpus/ .fuzz-corpus tests/fixtures/files

bench: install
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/bench.txt
	$(BIN)/python benchmarks/run.py

lock:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(COMPILE) $(LOCK_EXTRAS) -o requirements/lock.txt
	$(COMPILE) $(LOCK_EXTRAS) --extra bench -o requirements/bench.txt

clean:
	rm -rf $(VENV) build dist *.egg-info governance/_bundled
