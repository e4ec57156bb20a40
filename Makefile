# Oefenplein: `make run` starts the site with demo content, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
LANGS := nl fr en ar
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test worker beat bench lint format messages compile-messages setup clean check-chromium

$(VENV)/.runtime: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install python3.11 (Debian: apt-get install python3.11 python3.11-venv)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed: install Node.js 20 and npm (Debian: apt-get install nodejs npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

compile-messages: $(VENV)/.runtime
	@command -v msgfmt >/dev/null || { echo "msgfmt is needed to compile translations: apt-get install gettext"; exit 1; }
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

setup: $(VENV)/.runtime node_modules/.installed compile-messages
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) load_demo
	$(MANAGE) load_demo_coaching
	$(MANAGE) load_demo_training
	$(MANAGE) load_demo_sessions
	$(MANAGE) readaloud_generate

run: setup
	@echo "Oefenplein runs at http://127.0.0.1:8000/ (stop with Ctrl+C)"
	$(MANAGE) runserver 127.0.0.1:8000

check-chromium:
	@test -x $(CHROMIUM) || { echo "Browser tests need Debian's Chromium: apt-get install chromium (or set CHROMIUM=/path/to/chromium)."; exit 1; }

test: $(VENV)/.dev node_modules/.installed compile-messages check-chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	npx --no-install eslint .
	node --test tests/js/
	$(VENV)/bin/pytest

lint: $(VENV)/.dev node_modules/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	npx --no-install eslint --fix .

messages: $(VENV)/.runtime
	$(MANAGE) makemessages $(addprefix -l ,$(LANGS)) --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete

# Production-style (needs REDIS_URL; `make run` needs neither: without Redis tasks run in-process).
# The worker and the scheduler are separate processes: a worker killed with kill -9 must not leave an
# orphan scheduler behind, and a second beat started by mistake only stands by (learn/beat.py).
worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A learn worker --loglevel=info

beat: $(VENV)/.runtime
	$(VENV)/bin/celery -A learn beat --loglevel=info --schedule=var/celerybeat-schedule

bench: $(VENV)/.dev node_modules/.installed compile-messages
	$(PY) bench/run.py
	$(PY) bench/h5p_bench.py
	$(PY) bench/coaching_bench.py
	$(PY) bench/training_bench.py
	$(PY) bench/simulator_bench.py
	$(PY) bench/lighthouse_bench.py
	$(PY) bench/learners_load.py

# The production set-up of deploy/ run for real (nginx, two gunicorn hosts, workers, beat, own PostgreSQL and
# Redis), checked through nginx, with faults under load and a restored backup (README "Production set-up").
.PHONY: deploy-check
deploy-check: $(VENV)/.dev node_modules/.installed compile-messages
	$(PY) deploy/check.py

clean:
	rm -rf var staticfiles .pytest_cache .ruff_cache
