# The README's commands. Each target sets up what it needs in .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLES := data/samples/vendor_crm.csv

.PHONY: run test lint bench samples clean

$(BIN)/python:
	@echo "==> Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "==> Installing overlap and its dependencies (a minute or two, quietly)"
	$(BIN)/pip install --quiet -e '.[api]' --group dev
	touch $@

# The tests run the Spark engine on a local session too: pyspark is a large download.
$(VENV)/.spark-installed: $(VENV)/.installed
	@echo "==> Installing the Spark engine's dependencies for its tests (pyspark, ~450 MB)"
	$(BIN)/pip install --quiet -e '.[api,spark]'
	touch $@

$(VENV)/.bench-installed: $(VENV)/.installed
	@echo "==> Installing the benchmarks' dependencies"
	$(BIN)/pip install --quiet --group bench
	touch $@

$(SAMPLES): | $(VENV)/.installed
	@echo "==> Generating the sample lists in data/samples"
	$(BIN)/overlap samples data/samples

samples: $(VENV)/.installed
	@echo "==> Generating the sample lists in data/samples"
	$(BIN)/overlap samples data/samples

# The summary of matching the samples, then the web service over a store rebuilt from
# them on each run (out/ is ignored by git): it prints a fresh admin key every time.
run: $(VENV)/.installed $(SAMPLES)
	@echo "==> Matching the samples: the vendor's list against each partner's"
	$(BIN)/overlap demo data/samples
	@echo "==> Starting the web service on a store rebuilt from the samples"
	rm -f out/demo.duckdb out/demo.duckdb.wal
	$(BIN)/overlap serve --samples data/samples --db out/demo.duckdb

test: $(VENV)/.spark-installed
	$(BIN)/ruff check src api tests bench notebooks
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check src api tests bench notebooks
	$(BIN)/ruff format --check src api tests bench notebooks
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(VENV)/.bench-installed
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/scale.py --n 100000

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
