# Thin wrappers: `make book` builds the website, `make test` runs every test,
# `make classroom` serves the course on a local JupyterHub (as root; CLASSROOM_PORT=8000 by default).
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Grading sandboxes submissions with bubblewrap; the browser tests drive Debian's Chromium;
# the classroom's proxy runs on Node.js, and its environment is a venv of Debian's Python.
SYSTEM_PACKAGES := bwrap:bubblewrap prlimit:util-linux chromium:chromium node:nodejs npm:npm \
	/usr/lib/python3.11/ensurepip:python3-venv
PROXY := classroom/node_modules/.installed
CLASSROOM_PORT ?= 8000

.PHONY: setup system book test classroom clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml rnncourse/grading/nbgrader_config.py
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt -r requirements-dev.txt
	mkdir -p $(VENV)/etc/jupyter  # the environment's grading config (a wheel install puts it there itself)
	cp rnncourse/grading/nbgrader_config.py $(VENV)/etc/jupyter/nbgrader_config.py
	touch $@

system:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
	  command -v $${pair%%:*} >/dev/null || [ -e $${pair%%:*} ] || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; fi

# Launch links: make book COURSE_REPOSITORY=<public git URL> [COURSE_HUB=<JupyterHub URL>]
book: setup
	COURSE_REPOSITORY="$(COURSE_REPOSITORY)" COURSE_HUB="$(COURSE_HUB)" $(BIN)/python -m rnncourse.site

$(PROXY): classroom/package.json classroom/package-lock.json
	npm ci --prefix classroom --no-audit --no-fund
	touch $@

classroom: system $(PROXY)
	$(SUDO) /usr/bin/python3 classroom/local_hub.py provision
	$(SUDO) env CLASSROOM_PORT=$(CLASSROOM_PORT) /usr/bin/python3 classroom/local_hub.py serve

test: setup system $(PROXY)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadfile

clean:
	rm -rf _build
