# The one entry point: `make run` serves the demo, `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
ASSETS := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)
# The stylesheet: the US Web Design System compiled with our theme (assets/scss/).
CSS := assets/dist/css/portal.css
MANAGE := $(PY) manage.py
LOCALES := -l kk -l ru -l en
IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests
# Production settings for `check --deploy`: throwaway values, never used to serve.
DEPLOY_ENV := DJANGO_ENV=production DJANGO_SECRET_KEY=check-deploy-$(shell date +%s)-0123456789abcdefghijklmnopqrstuvwxyz IIN_HASH_KEY=check-deploy-iin-key-0123456789abcdefghij DJANGO_ALLOWED_HOSTS=qatysu.kz

.PHONY: install run test lint messages compilemessages bench bench-others worker beat browser clean

$(INSTALLED): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -f node_modules/.installed-* && touch $@

$(CSS): $(ASSETS) $(wildcard assets/scss/*.scss)
	npm run --silent build

install: $(INSTALLED) $(ASSETS) $(CSS) compilemessages

compilemessages: $(INSTALLED)
	$(MANAGE) compilemessages --verbosity 0 --ignore=.venv --ignore=node_modules

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:8000

# Browser tests drive Debian's chromium, the front's test Debian's nginx; install them when
# they are missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium" >&2; exit 1; fi; }
	@test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; \
	  else echo "nginx is missing: sudo apt-get install nginx-light" >&2; exit 1; fi; }

test: install browser
	$(PY) -m pytest -n 2 --dist loadgroup --create-db --cov --cov-report=term:skip-covered --cov-fail-under=96 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

messages: $(INSTALLED)
	$(MANAGE) makemessages $(LOCALES) $(IGNORE) --no-obsolete --add-location file
	$(MANAGE) makemessages -d djangojs $(LOCALES) $(IGNORE) --no-obsolete --add-location file
	$(MANAGE) compilemessages --verbosity 0 --ignore=.venv --ignore=node_modules

# `make bench BENCH=national` runs the national-scale benchmark alone.
BENCH ?= all
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: sudo apt-get install wrk" >&2; exit 1; fi; }
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qatysu} $(PY) bench/national.py
	@test "$(BENCH)" = national || $(MAKE) --no-print-directory bench-others

bench-others:
	$(PY) bench/import_kato.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qatysu} $(PY) bench/proposals.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qatysu} $(PY) bench/transparency.py
	$(PY) bench/vote_tally.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qatysu} $(PY) bench/vote_casting.py

worker: install
	$(VENV)/bin/celery -A portal worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A portal beat --loglevel=info

clean:
	rm -rf $(VENV) node_modules assets/dist staticfiles db.sqlite3
	find locale -name '*.mo' -delete
