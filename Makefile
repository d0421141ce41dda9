# The README's two commands: `make demo` and `make test`. Everything installs into .venv.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# durable_rules 2.0.28 imports on Python 3.11 and 3.12 only.
PYTHON ?= $(shell for p in python3.11 python3.12 python3; do \
	  if command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(not (3,11) <= sys.version_info[:2] < (3,13))' 2>/dev/null; \
	  then echo $$p; break; fi; done)

.PHONY: demo test lint typecheck pytest test-random mutate explorer browser site docs docs-check bench fuzz fuzz-api messages clean

$(BIN)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "error: servresp needs Python 3.11 or 3.12 (durable_rules does not import on 3.13); install python3.11" >&2; exit 2; fi
	@command -v cc >/dev/null || command -v gcc >/dev/null || { echo "error: durable_rules compiles a C extension: install gcc (apt-get install gcc python3-dev)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

demo: $(BIN)/.installed
	$(BIN)/servresp check
	$(BIN)/servresp trace --facts examples/october.jsonl

test: $(BIN)/.installed browser lint typecheck docs-check pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks

typecheck: $(BIN)/.installed
	$(BIN)/mypy --strict src

docs-check: $(BIN)/.installed
	@$(BIN)/servresp docs docs/charts --check || { echo "docs/charts is stale: run 'make docs' and commit the result" >&2; exit 1; }

pytest: $(BIN)/.installed
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(BIN)/pytest

# The suite with fresh random examples (CI runs the derandomized `ci` profile).
test-random: $(BIN)/.installed
	HYPOTHESIS_PROFILE=dev CI= $(BIN)/pytest

# Mutation testing of the core stages (docs/testing.md). Long: narrow it with
# MUTANTS='servresp.trace.why*' (mutmut's name patterns); `.venv/bin/mutmut results` lists survivors.
MUTANTS ?=
mutate: $(BIN)/.installed
	$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/mutmut results

# The explorer's browser tests drive Debian's headless Chromium; they skip, saying so, without one.
browser:
	@test -x /usr/bin/chromium || { echo "installing chromium for the explorer's browser tests"; \
	  (apt-get install -y -q chromium fonts-wqy-microhei >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium fonts-wqy-microhei >/dev/null 2>&1)) \
	  || echo "note: could not install chromium (apt-get install chromium needs root); the browser tests will be skipped" >&2; }

# Rebuild the explorer's bundle (committed under src/servresp/service/explorer/assets) from web/.
explorer:
	@command -v npm >/dev/null || { echo "error: building the explorer needs node and npm (apt-get install nodejs npm)" >&2; exit 2; }
	cd web && npm ci --no-audit --no-fund && npm run build

# The explorer as a static site with the examples traced: open build/site/index.html.
site: $(BIN)/.installed
	$(BIN)/servresp site build/site --facts examples/*.jsonl

docs: $(BIN)/.installed
	@command -v dot >/dev/null || { echo "installing graphviz for SVG charts (optional)"; \
	  (apt-get install -y -q graphviz >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q graphviz >/dev/null 2>&1)) \
	  || echo "note: could not install graphviz; SVG charts are skipped, the rest is written" >&2; }
	$(BIN)/servresp docs docs/charts

# The message catalogs (docs/i18n.md): extract the .pot (kept when only its date would change),
# merge it into each .po, compile the .mo. Commit all three.
LOCALES := src/servresp/locale
messages: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --project servresp --version 0.1 \
	  --copyright-holder "servresp authors" -o $(LOCALES)/servresp.pot.new src/servresp
	if diff -q -I '^"POT-Creation-Date:' $(LOCALES)/servresp.pot $(LOCALES)/servresp.pot.new >/dev/null 2>&1; \
	  then rm $(LOCALES)/servresp.pot.new; else mv $(LOCALES)/servresp.pot.new $(LOCALES)/servresp.pot; fi
	$(BIN)/pybabel update -i $(LOCALES)/servresp.pot -d $(LOCALES) -D servresp --no-fuzzy-matching \
	  --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile -d $(LOCALES) -D servresp --statistics

# 10,000 cases of each hostile-input test (tests/fuzz/), about 45 minutes on two cores;
# prints the count of each. FUZZ_CASES=N for a shorter or longer run.
FUZZ_CASES ?= 10000
fuzz: $(BIN)/.installed
	SERVRESP_FUZZ_CASES=$(FUZZ_CASES) HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/fuzz -p no:cacheprovider

# compileall first: with PYTHONDONTWRITEBYTECODE set, every run would recompile servresp (B1)
bench: $(BIN)/.installed
	$(BIN)/python -m compileall -q src
	$(BIN)/python benchmarks/run.py

# schemathesis against a live `servresp serve` on a free local port (127.0.0.1 only, bounded
# examples); the server is stopped at the end. See docs/service.md for the checks left out.
FUZZ_EXAMPLES ?= 50
fuzz-api: $(BIN)/.installed
	@port=$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	$(BIN)/servresp serve --host 127.0.0.1 --port $$port 2>/dev/null & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 1 300); do \
	  $(BIN)/python -c "import httpx; httpx.get('http://127.0.0.1:$$port/health').raise_for_status()" 2>/dev/null && break; \
	  sleep 0.2; done; \
	$(BIN)/schemathesis run http://127.0.0.1:$$port/openapi.json --max-examples $(FUZZ_EXAMPLES) \
	  --generation-deterministic --request-timeout 30 \
	  --exclude-checks positive_data_acceptance,negative_data_rejection

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants
