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

.PHONY: run test bench lint format clean backup restore messages demo

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Browser tests: Debian's Chromium (Playwright cannot download browsers here) and axe-core.
/usr/bin/chromium:
	$(SUDO) apt-get install -y --no-install-recommends chromium \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; }

# Certificates of attendance: DejaVu covers Latin, Greek, Cyrillic, Arabic and Hebrew.
/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:
	$(SUDO) apt-get install -y --no-install-recommends fonts-dejavu-core \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends fonts-dejavu-core; }

# Interface translations: the .po sources are committed, the .mo files are compiled here
# (GNU gettext from Debian, like chromium), so a fresh clone's run and test have them.
/usr/bin/msgfmt:
	$(SUDO) apt-get install -y --no-install-recommends gettext \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends gettext; }

# The library's ranked search index (resources migration 0011): the RUM extension for the
# PostgreSQL server on this machine (Debian's package for PostgreSQL 15).
RUM := /usr/share/postgresql/15/extension/rum.control
$(RUM):
	$(SUDO) apt-get install -y --no-install-recommends postgresql-15-rum \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends postgresql-15-rum; }

MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
locale/%.mo: locale/%.po /usr/bin/msgfmt
	msgfmt --check -o $@ $<

# After merging new strings: extract them into the fr/ar/es catalogues (existing
# translations kept), then count what is left untranslated or fuzzy.
messages: $(VENV)/.installed /usr/bin/msgfmt
	SECRET_KEY=makemessages $(PY) manage.py makemessages -l fr -l ar -l es \
	  --ignore='.venv/*' --ignore='node_modules/*' --ignore='tests/*' --ignore='var/*'
	SECRET_KEY=makemessages $(PY) manage.py catalogue_report

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# The local server speaks plain http on 127.0.0.1, hence HTTPS=false. The task worker
# (emails, long imports) and the mail scheduler run beside gunicorn and stop with it.
run: $(VENV)/.installed $(RUM) var/secret_key /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf $(MO_FILES)
	export DATABASE_URL="$$($(PY) -m allin_portal.devdb allin)" SECRET_KEY="$$(cat var/secret_key)" HTTPS="$${HTTPS:-false}" \
	  SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py load_network_history; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	echo; \
	echo "ALL-IN portal: http://127.0.0.1:$(PORT)/"; \
	echo "First admin:   DATABASE_URL=$$DATABASE_URL SECRET_KEY=\$$(cat var/secret_key) $(PY) manage.py createadmin"; \
	echo; \
	$(PY) manage.py db_worker & worker=$$!; \
	$(PY) manage.py mail_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler' EXIT INT TERM; \
	$(VENV)/bin/gunicorn allin_portal.wsgi --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --no-control-socket --access-logfile -

# A small, clearly fake set on top of the real history, one sign-in per role printed
# (the database `make run` serves; `make run` itself loads real data only).
demo: $(VENV)/.installed $(RUM) var/secret_key $(MO_FILES)
	export DATABASE_URL="$$($(PY) -m allin_portal.devdb allin)" SECRET_KEY="$$(cat var/secret_key)"; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py load_network_history; \
	$(PY) manage.py load_demo

# A fresh test database every run: rows left by an interrupted run never leak into the next.
test: $(VENV)/.installed $(RUM) /usr/bin/chromium node_modules/.installed /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf $(MO_FILES)
	export DATABASE_URL="$$($(PY) -m allin_portal.devdb allin)"; \
	$(VENV)/bin/ruff check .; \
	$(VENV)/bin/ruff format --check .; \
	$(PY) -m pytest --create-db

# Load benchmark in its own database (allin_bench): writes docs/benchmarks.md.
bench: $(VENV)/.installed $(RUM) var/secret_key $(MO_FILES)
	command -v wrk >/dev/null || $(SUDO) apt-get install -y --no-install-recommends wrk
	export DATABASE_URL="$$(env -u DATABASE_URL $(PY) -m allin_portal.devdb allin_bench)" SECRET_KEY="$$(cat var/secret_key)"; \
	$(PY) tests/bench.py

# Backups (allin_portal/backups.py): the database (pg_dump -Fc) and the public and private
# files into var/backups/<UTC time>/; `make restore BACKUP=var/backups/<time>` puts one back.
backup: $(VENV)/.installed var/secret_key
	export DATABASE_URL="$$($(PY) -m allin_portal.devdb allin)" SECRET_KEY="$$(cat var/secret_key)"; \
	$(PY) manage.py backup $(if $(OUTPUT),--output $(OUTPUT))

restore: $(VENV)/.installed $(RUM) var/secret_key
	test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<time>"; exit 2; }
	export DATABASE_URL="$$($(PY) -m allin_portal.devdb allin)" SECRET_KEY="$$(cat var/secret_key)"; \
	$(PY) manage.py restore "$(BACKUP)" --yes

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var/static tests/artifacts
