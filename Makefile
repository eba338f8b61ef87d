# `make demo` and `make test` each create .venv and install what they need when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test schemas clean

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
	$(BIN)/python -m cfglint.schemagen

clean:
	rm -rf $(VENV) build *.egg-info
