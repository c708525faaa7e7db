# ALL-IN portal. `make run` serves it, `make test` runs the whole suite.
# Both create .venv, install requirements.txt and make sure PostgreSQL has the
# database (see allin_portal/devdb.py for where it comes from).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WORKERS ?= 3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench lint format clean

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Browser tests: Debian's Chromium (Playwright cannot download browsers here) and axe-core.
/usr/bin/chromium:
	$(SUDO) apt-get install -y --no-install-recommends chromium \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; }

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# The local server speaks plain http on 127.0.0.1, hence HTTPS=false.
run: $(VENV)/.installed var/secret_key
	export DATABASE_URL="$$($(PY) -m allin_portal.devdb allin)" SECRET_KEY="$$(cat var/secret_key)" HTTPS="$${HTTPS:-false}" \
	  SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py load_network_history; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	echo; \
	echo "ALL-IN portal: http://127.0.0.1:$(PORT)/"; \
	echo "First admin:   DATABASE_URL=$$DATABASE_URL SECRET_KEY=\$$(cat var/secret_key) $(PY) manage.py createadmin"; \
	echo; \
	exec $(VENV)/bin/gunicorn allin_portal.wsgi --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --no-control-socket --access-logfile -

test: $(VENV)/.installed /usr/bin/chromium node_modules/.installed
	export DATABASE_URL="$$($(PY) -m allin_portal.devdb allin)"; \
	$(VENV)/bin/ruff check .; \
	$(VENV)/bin/ruff format --check .; \
	$(PY) -m pytest

# Load benchmark in its own database (allin_bench): writes docs/benchmarks.md.
bench: $(VENV)/.installed var/secret_key
	command -v wrk >/dev/null || $(SUDO) apt-get install -y --no-install-recommends wrk
	export DATABASE_URL="$$(env -u DATABASE_URL $(PY) -m allin_portal.devdb allin_bench)" SECRET_KEY="$$(cat var/secret_key)"; \
	$(PY) tests/bench.py

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var/static tests/artifacts
