# The two commands of the README: `make run` and `make test`. .ci/run uses `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# A local run keeps its generated secret under var/ (ignored by git).
export SECRET_KEY ?= $(shell cat var/secret_key 2>/dev/null)

.PHONY: run test install install-test serve migrate organiser messages lint format clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# Links in emails, calendar files and pages name the port that is served, unless SITE_URL
# says otherwise (a proxy in front).
run serve: export SITE_URL ?= http://127.0.0.1:$(PORT)
# The seeded event took place in 2016: `make run` shows the site as before the day, so that
# registration can be tried; AFTER_THE_EVENT=true make run shows it as after the day.
run serve: export AFTER_THE_EVENT ?= false
run: install var/secret_key
	@$(MAKE) --no-print-directory serve SECRET_KEY="$$(cat var/secret_key)"

serve:
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_event
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  The event site runs at http://127.0.0.1:$(PORT)/ (English: http://127.0.0.1:$(PORT)/en/)"
	@echo "  Admin for organisers:  http://127.0.0.1:$(PORT)/admin/"
	@echo "  Create an organiser account in another terminal: make organiser"
	@echo "  Emails are written to var/mail/ as .eml files. Stop with Ctrl+C."
	@echo ""
	@# The email worker runs next to gunicorn and stops with it (docs/email.md).
	@$(PY) manage.py worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(VENV)/bin/gunicorn --config eventsite/gunicorn.conf.py --bind 127.0.0.1:$(PORT) eventsite.wsgi

organiser: install var/secret_key
	SECRET_KEY="$$(cat var/secret_key)" $(PY) manage.py createorganiser

# Tests run with DEBUG off, as in production, with a throw-away key, in parallel on every
# core (PYTEST_WORKERS=0 runs them in this one process, e.g. for pdb).
PYTEST_WORKERS ?= auto
test: export SECRET_KEY = test-only-secret-key-not-for-production
test: install-test
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Refresh the English catalogue after changing German texts (needs GNU gettext),
# then compile it; the compiled .mo files are committed.
messages: install
	cd $(CURDIR) && DEBUG=true $(PY) manage.py makemessages --locale en --no-obsolete --add-location file --ignore '.venv/*' --ignore 'staticfiles/*'
	@# No creation date in the header: it would make every branch's catalogue conflict.
	sed -i '/^"POT-Creation-Date:/d' locale/en/LC_MESSAGES/django.po
	DEBUG=true $(PY) manage.py compilemessages --locale en --locale de --ignore '.venv/*'

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
