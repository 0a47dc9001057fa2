# Xietong: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Test files spread over the CPUs; a file stays on one worker (the LDAP tests share one slapd).
# Browser journeys run after the rest: they end with a flush, which other tests on the same worker
# must not meet.
PYTEST_PARALLEL ?= -n auto --dist loadfile

# Debian packages the project needs: translations, CJK fonts, the PostgreSQL and LDAP client
# libraries for building psycopg2 and python-ldap, Pango for WeasyPrint, Chromium for browser
# tests, slapd for the LDAP login tests, poppler and wrk for checks, Ghostscript for the archive's
# PDF/A copies; AR PL KaitiM GB stands in for 楷体 in red-head PDFs.
DEBIAN_PACKAGES := gettext fonts-noto-cjk fonts-arphic-gkai00mp libpq-dev libldap2-dev libsasl2-dev gcc \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium poppler-utils wrk \
	slapd ldap-utils tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng ghostscript

.PHONY: run test test-e2e bench lint format messages system-packages setup migrate clean

run: setup
	$(MANAGE) load_demo
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not e2e"
	$(BIN)/pytest $(PYTEST_PARALLEL) -m e2e

test-e2e: setup
	$(BIN)/pytest $(PYTEST_PARALLEL) -m e2e

bench: setup
	$(BIN)/python bench/run.py
	$(BIN)/python bench/hr_import.py
	$(BIN)/python bench/knowledge_center.py
	$(BIN)/python bench/search_engines.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/numbering.py
	$(BIN)/python bench/redhead.py
	$(BIN)/python bench/agenda.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/notifications.py
	$(BIN)/python bench/archive_package.py

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

setup: system-packages fangsong-font $(BIN)/.installed compile-messages migrate

migrate: $(BIN)/.installed
	@mkdir -p var
	$(MANAGE) migrate --no-input -v 0

.PHONY: compile-messages
compile-messages: $(BIN)/.installed
	$(MANAGE) compilemessages --ignore=.venv -v 0

messages: $(BIN)/.installed
	$(MANAGE) makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=var --no-obsolete

# Installs only what is missing, so a second run costs one dpkg query.
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if ! $(PYTHON) -c "import ensurepip" 2>/dev/null; then missing="$$missing python3-venv"; fi; \
	if ! $(PYTHON) -c "import sysconfig, os, sys; sys.exit(not os.path.exists(sysconfig.get_paths()['include'] + '/Python.h'))"; then \
		missing="$$missing python3-dev"; fi; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# 仿宋 for red-head PDFs: Debian packages no simplified-Chinese FangSong of its own, so FandolFang
# (GPL, 7 MB) is taken out of texlive-lang-chinese's package instead of installing all of TeX Live.
FANGSONG_FONT := /usr/local/share/fonts/fandol/FandolFang-Regular.otf
.PHONY: fangsong-font
fangsong-font:
	@if [ ! -f $(FANGSONG_FONT) ]; then \
		SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		work=$$(mktemp -d) && cd $$work && \
		{ apt-get download -qq texlive-lang-chinese 2>/dev/null || \
		  { $$SUDO apt-get update -qq && apt-get download -qq texlive-lang-chinese; }; } && \
		$$SUDO mkdir -p $$(dirname $(FANGSONG_FONT)) && \
		dpkg-deb --fsys-tarfile texlive-lang-chinese_*.deb | $$SUDO tar -x -O \
			./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf \
			| $$SUDO tee $(FANGSONG_FONT) >/dev/null && \
		$$SUDO fc-cache -f >/dev/null && rm -rf $$work; \
	fi

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) var
