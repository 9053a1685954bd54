# xjsearch — `make run` installs and serves the bundled corpus; `make test` installs and runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEBIAN_PACKAGES := chromium chromium-l10n fonts-wqy-microhei

.PHONY: run test install install-test system-deps bench mutation clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The browser tests need Debian's chromium (with its Chinese interface, chromium-l10n) and a CJK font;
# as root they are installed here.
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "the browser tests need these Debian packages; install them with: sudo apt-get install$$missing"; \
	fi

run: install
	@echo "xjsearch is installed in $(VENV): . $(BIN)/activate (or type $(BIN)/xjsearch) to use it in a shell"
	$(BIN)/xjsearch serve

test: install-test system-deps
	$(BIN)/python -m pytest

bench: install-test
	$(BIN)/python -m bench

# Mutation testing of the core (not part of make test: an hour or more on two cores). mutmut mutates
# the modules [tool.mutmut] lists in pyproject.toml and runs the tests that call each mutated function;
# the report prints each module's kill rate and the survivors. MUTANTS narrows a run to some mutants,
# e.g. make mutation MUTANTS='corpus.cleaning.*'; results are kept in mutants/ for the next run.
MUTANTS ?=
mutation: install-test
	$(BIN)/python tests/mutation/refresh.py
	nice -n 15 $(BIN)/mutmut run $(MUTANTS)
	$(BIN)/python tests/mutation/report.py
	$(BIN)/python tests/mutation/known_changes.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis mutants
