# Two commands on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
EXTRAS ?= dev,faces,narratives,serve,browser,leiden,spark

.PHONY: install demo test bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[$(EXTRAS)]'
	touch $@

install: $(BIN)/.installed

## Simulate the built-in demo world (three planted campaigns among 5,000 accounts) and analyze it.
demo: install
	$(BIN)/unmask simulate --scenario demo --seed 7 --out demo-data
	$(BIN)/unmask analyze demo-data --out demo-case
	@echo "Open demo-case/report.html; tables, network.gexf, STIX and run.json are beside it"

## Run the test suite (tests that need ../shared/data skip when it is absent).
test: install
	$(BIN)/python -m pytest -q

## Run every benchmark and write bench/results/.
bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf demo-data demo-case bench/work .pytest_cache
