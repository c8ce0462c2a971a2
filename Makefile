# ICDC — two commands: `make run` (set up and serve the embedded default) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup deps test-deps system-deps check-python migrate demo serve lint messages bench clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "ICDC needs Python 3.11 or newer; '$(PYTHON)' is missing or older."; \
	  echo "Set PYTHON=/path/to/python3.11 (note: python3.12/3.13 here may be pyenv shims that fail)."; exit 1; }

$(VENV)/.deps: requirements/base.txt | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements/base.txt
	@touch $@

$(VENV)/.test-deps: requirements/test.txt $(VENV)/.deps
	$(PIP) install -q -r requirements/test.txt
	@touch $@

deps: $(VENV)/.deps
test-deps: $(VENV)/.test-deps

# System packages the suite uses (Chromium, CJK fonts, poppler, LibreOffice, gettext): installed
# where this machine allows it (Debian, root), else one message naming the command, and nothing runs.
system-deps:
	@bash scripts/system_deps.sh

migrate: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv -v 0 || echo "(msgfmt missing: using committed .mo files)"
	$(PY) manage.py load_divisions
	$(PY) manage.py load_indicators --publish
	$(PY) manage.py load_programmes
	$(PY) manage.py load_titles
	$(PY) manage.py collectstatic --noinput -v 0

demo: migrate
	$(PY) manage.py load_demo

setup: demo

# Serves on http://$(HOST):$(PORT) with the database-backed job worker beside it.
run: setup
	@$(PY) manage.py demo_logins
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops the server and the job worker)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --queue-name '*' --no-reload & \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

# The whole suite on SQLite; with DATABASE_URL=postgres://... the same suite on PostgreSQL.
# system-deps comes first: on a machine that lacks them, nothing else runs.
test: system-deps test-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: test-deps
	$(VENV)/bin/ruff check .

messages: deps
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

bench: test-deps
	$(PY) bench/scoring.py

clean:
	rm -rf $(VENV) var staticfiles
