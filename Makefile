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

.PHONY: run test bench lint format clean backup restore messages demo redis

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Browser tests: Debian's Chromium (Playwright cannot download browsers here) and axe-core.
/usr/bin/chromium:
	$(SUDO) apt-get install -y --no-install-recommends chromium \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; }

# The multi-instance test (tests/deploy/) runs Debian's nginx with deploy/nginx/allin.conf.
/usr/sbin/nginx:
	$(SUDO) apt-get install -y --no-install-recommends nginx \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends nginx; }

# Certificates of attendance: DejaVu covers Latin, Greek, Cyrillic, Arabic and Hebrew.
/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:
	$(SUDO) apt-get install -y --no-install-recommends fonts-dejavu-core \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends fonts-dejavu-core; }

# Interface translations: the .po sources are committed, the .mo files are compiled here
# (GNU gettext from Debian, like chromium), so a fresh clone's run and test have them.
/usr/bin/msgfmt:
	$(SUDO) apt-get install -y --no-install-recommends gettext \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends gettext; }

# The library's ranked search index (resources migration 0012): the RUM extension for the
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

# The local server speaks plain http on 127.0.0.1, hence HTTPS=false. Two task workers
# (one for the default queue: account and registration emails, imports; one for both
# queues, bulk mail after the default queue) and the mail scheduler run beside gunicorn
# and stop with it.
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
	$(PY) manage.py db_worker --queue-name default & worker=$$!; \
	$(PY) manage.py db_worker --queue-name default,bulk & bulk_worker=$$!; \
	$(PY) manage.py mail_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$bulk_worker $$scheduler 2>/dev/null; wait $$worker $$bulk_worker $$scheduler' EXIT INT TERM; \
	$(VENV)/bin/gunicorn allin_portal.wsgi --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --no-control-socket

# A small, clearly fake set on top of the real history, one sign-in per role printed
# (the database `make run` serves; `make run` itself loads real data only).
demo: $(VENV)/.installed $(RUM) var/secret_key $(MO_FILES)
	export DATABASE_URL="$$($(PY) -m allin_portal.devdb allin)" SECRET_KEY="$$(cat var/secret_key)"; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py load_network_history; \
	$(PY) manage.py load_demo

# The two-server cache test needs Redis on 127.0.0.1:6379: Debian's redis-server, started
# here (in memory, no snapshots) when nothing answers there. The tests write under a key
# prefix of their own run and delete only those keys.
/usr/bin/redis-server:
	$(SUDO) apt-get install -y --no-install-recommends redis-server \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends redis-server; }

redis: /usr/bin/redis-server
	redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 \
	  || redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes
	for _ in $$(seq 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0; sleep 0.1; done; \
	  echo "Redis does not answer on 127.0.0.1:6379" >&2; exit 1

# A fresh test database every run (one per pytest-xdist worker, test_<name>_gw0...): rows
# left by an interrupted run never leak into the next. TEST_WORKERS=auto is one worker per
# core (2 here); worksteal hands a finished worker tests queued for the other, so the long
# browser journeys at the end do not leave one core idle. `pytest -m "not browser"` is the
# quick loop without Chromium.
TEST_WORKERS ?= auto
test: $(VENV)/.installed $(RUM) /usr/bin/chromium /usr/sbin/nginx node_modules/.installed /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf $(MO_FILES) redis
	export DATABASE_URL="$$($(PY) -m allin_portal.devdb allin)"; \
	$(VENV)/bin/ruff check .; \
	$(VENV)/bin/ruff format --check .; \
	$(PY) -m pytest --create-db -n $(TEST_WORKERS) --dist worksteal

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
	$(PY) manage.py restore "$(BACKUP)" --secret-key-file var/secret_key --yes

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var/static tests/artifacts
