# The two commands a newcomer needs: `make run` and `make test`. Everything else is detail.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# checkov pins many of its dependencies (boto3 among them): it gets a venv of its own.
CHECKOV_VENV := $(VENV)/tools/checkov
CHECKOV_VERSION := 3.3.30
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate noto-cjk demo i18n bench-web bench-quotes bench-cycle bench-servicing clean

# pip's and setuptools' chatter goes to .venv/install.log, shown only when the install fails
# (setuptools announces every editable install of a flat layout, whatever the configuration).
export PIP_DISABLE_PIP_VERSION_CHECK := 1
$(STAMP): setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@echo "Installing into $(VENV) (a few minutes the first time; details in $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e '.[test]'; } \
		> $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; echo "make: the install failed (log above)"; exit 1; }
	@touch $(STAMP)

$(CHECKOV_VENV)/bin/checkov: $(STAMP)
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'checkov==$(CHECKOV_VERSION)'

install: $(STAMP)

# The letters' cut of Noto CJK is made here too, once (paas/notices/fonts.py; a minute or two).
# Without Noto CJK the portal still runs, without its PDF letters: the command says what to install.
migrate: install noto-cjk
	@HOST=$(HOST) PORT=$(PORT) $(BIN)/portal db upgrade
	@$(BIN)/portal notices fonts > /dev/null || echo "make: going on without the PDF letters"

# Debian's fonts-noto-cjk (the letters' Chinese font), installed where apt-get can (as root)
# and the font is not there yet (CI included); elsewhere the font cut above says what to do.
noto-cjk: install
	@$(BIN)/python -c 'from paas.notices.fonts import noto_folders; noto_folders()' 2>/dev/null \
		|| { [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null \
		     && echo "Installing Debian's fonts-noto-cjk (the letters' Chinese font)..." \
		     && { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		          --no-install-recommends fonts-noto-cjk > /dev/null; }; } || true

demo: migrate
	@HOST=$(HOST) PORT=$(PORT) $(BIN)/portal seed --demo

# Migrate, load the demo data (idempotent), then serve on the embedded default. The logins
# come last: gunicorn says only warnings and errors (PORTAL_LOG_LEVEL=info for its start-up).
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ - press Ctrl+C to stop."
	@HOST=$(HOST) PORT=$(PORT) PORTAL_LOG_LEVEL=$${PORTAL_LOG_LEVEL:-warning} $(BIN)/gunicorn --config python:portal.gunicorn_conf 'portal.wsgi:app'

# Two test processes, one per core: the suite waits on PostgreSQL, browsers and servers of its
# own part of the time (13 -> 7 minutes on an idle machine). A file's tests stay in one process
# (its fixtures are made once). PYTEST_WORKERS=0 runs them all in this one. The letters' font
# cut is made first, so the two processes do not both spend the first run's minute on it.
PYTEST_WORKERS ?= 2
test: install noto-cjk $(CHECKOV_VENV)/bin/checkov
	@$(BIN)/portal notices fonts > /dev/null || true
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Re-extract the message catalogue and compile it (after changing any text). The translations
# keep each message on one line (--no-wrap), as they are committed: a new text is a small diff.
i18n: install
	$(BIN)/pybabel extract --mapping-file paas/i18n/babel.cfg --keywords N_ --keywords _l --no-location --sort-output --output-file paas/i18n/messages.pot .
	$(BIN)/pybabel update --input-file paas/i18n/messages.pot --output-dir paas/i18n/translations --no-fuzzy-matching --no-wrap
	$(BIN)/pybabel compile --directory paas/i18n/translations --statistics

bench-web: install
	$(BIN)/python bench/web_pages.py

bench-quotes: install
	$(BIN)/python bench/quotes.py

bench-servicing: install
	$(BIN)/python bench/servicing.py

bench-cycle: install
	$(BIN)/python bench/cycle.py --rounds 2

clean:
	rm -rf $(VENV) var .pytest_cache
