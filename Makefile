# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv with python3 -m venv and install the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo check docs docs-serve test lint typecheck unit bench bench-details fuzz clean vsix grammar-test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,docs,browser,html,pdf,lsp]'
	touch $(STAMP)

# The main job: check the project's own fact base, then build the docs site.
demo: check docs

check: $(STAMP)
	$(BIN)/factlang check facts

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

docs-serve: $(STAMP)
	$(BIN)/mkdocs serve

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check factlang tests benchmarks
	$(BIN)/ruff format --check factlang tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n 2

# A long fuzzing campaign over the whole pipeline (tests/test_fuzz.py): about
# 10 CPU-minutes on two cores at the default number of examples per test.
FUZZ_EXAMPLES ?= 15000
fuzz: $(STAMP)
	FACTLANG_FUZZ=long FACTLANG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -n 2 -q tests/test_fuzz.py

# Issue 14's table of targets, every row beside its floor measured in the same run
# (about 15 minutes on 2 cores); `make bench-details` runs each benchmark's own report.
bench: $(STAMP)
	$(BIN)/python benchmarks/targets.py

bench-details: $(STAMP)
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_verify.py
	$(BIN)/python benchmarks/bench_incremental.py
	$(BIN)/python benchmarks/bench_site.py
	$(BIN)/python benchmarks/bench_pytest.py
	$(BIN)/python benchmarks/bench_scale.py --facts 100000
	$(BIN)/python benchmarks/bench_memory.py
	$(BIN)/python benchmarks/bench_lsp.py
	$(BIN)/python benchmarks/bench_cliffs.py

# The VS Code extension as editors/vscode/factlang.vsix (needs node and npm; not run in CI).
vsix:
	cd editors/vscode && npm install --no-audit --no-fund && npx vsce package --skip-license --out factlang.vsix

# The TextMate grammar's syntax tests alone (pytest runs them too).
grammar-test:
	cd editors && npm ci --no-audit --no-fund && npm test

clean:
	rm -rf $(VENV) site .factlang_cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
