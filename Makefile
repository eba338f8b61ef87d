# `make demo` and `make test` each create .venv and install what they need when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test schemas docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@echo '$$ cfglint check examples/'
	-@$(BIN)/cfglint check examples/
	@echo
	@echo '$$ cfglint check --output-format json examples/kilo/bad/kilo.jsonc'
	-@$(BIN)/cfglint check --output-format json examples/kilo/bad/kilo.jsonc

test: $(STAMP)
	$(BIN)/python -m pytest

schemas: $(STAMP)
	$(BIN)/python -m cfglint.schemagen && $(BIN)/python -m cfglint.schemacompile

docs: $(STAMP)
	$(BIN)/python -m cfglint.rules.docs

clean:
	rm -rf $(VENV) build *.egg-info

# `make bench`: the benchmark of bench/README.md (medians and same-run ratios; prints a table).
# check-jsonschema, the baseline it is compared with, lives in its own virtualenv, pinned.
.PHONY: bench
BENCH_TOOLS := bench/.venv-tools
CHECK_JSONSCHEMA_VERSION := 0.39.0
BENCH_STAMP := $(BENCH_TOOLS)/.installed-check-jsonschema-$(CHECK_JSONSCHEMA_VERSION)
BENCH_ARGS ?=

$(BENCH_STAMP):
	$(PYTHON) -m venv $(BENCH_TOOLS)
	$(BENCH_TOOLS)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_TOOLS)/bin/python -m pip install --quiet 'check-jsonschema==$(CHECK_JSONSCHEMA_VERSION)'
	touch $@

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python bench/run.py --venv $(VENV) --tools-venv $(BENCH_TOOLS) $(BENCH_ARGS)
