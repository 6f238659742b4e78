# The two commands of the README: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test test-minimums lint catalogs key

# Setup is quiet: pip's output goes to .venv/install.log and is shown only when it fails.
$(STAMP): pyproject.toml
	@echo "Installing into $(VENV) (log: $(VENV)/install.log) ..."
	@$(PYTHON) -m venv $(VENV)
	@{ $(VENV)/bin/pip install --upgrade pip && $(VENV)/bin/pip install -e ".[dev]"; } \
		> $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/python -m bot run

test: $(STAMP)
	$(VENV)/bin/pytest

# The suite on the declared lower bounds: every direct dependency at the minimum pyproject.toml
# names (uv's lowest-direct resolution), in a venv of its own. A bound the tests fail on is wrong.
MIN_VENV := .venv-minimums
test-minimums:
	@$(PYTHON) -m venv $(MIN_VENV)
	@{ $(MIN_VENV)/bin/pip install --upgrade pip uv && $(MIN_VENV)/bin/uv pip install \
		--python $(MIN_VENV)/bin/python --resolution lowest-direct -e ".[dev]"; } \
		> $(MIN_VENV)-install.log 2>&1 || { cat $(MIN_VENV)-install.log; exit 1; }
	$(MIN_VENV)/bin/pytest

# Writes a new DATA_KEY into .env (creating .env from .env.example) unless one is set already.
key: $(STAMP)
	@test -f .env || cp .env.example .env
	@if grep -q '^DATA_KEY=.' .env; then echo "DATA_KEY is already set in .env"; else \
		key=$$($(VENV)/bin/python -m bot key generate 2>/dev/null); \
		if grep -q '^DATA_KEY=$$' .env; then sed -i "s|^DATA_KEY=$$|DATA_KEY=$$key|" .env; \
		else echo "DATA_KEY=$$key" >> .env; fi; \
		echo "DATA_KEY written to .env: keep a copy of it in a safe place."; fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# After adding or changing texts: extract them and merge into locales/{nl,en}, then translate
# the new entries in locales/nl/LC_MESSAGES/messages.po (the tests fail until you do).
catalogs: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -c "Translators:" --no-location \
		--sort-output --project=thuiszitbot -o locales/messages.pot .
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching \
		--ignore-obsolete
