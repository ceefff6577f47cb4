# Thin wrappers around the `rnncourse` command and pytest:
#   make book         the website, into _build/html
#   make test         the style gate, then every test (what CI runs)
#   make test-fast    the style gate, then the tests that need no book, browser, grading run or hub (< 2 min)
#   make exercises    regenerate exercises/ from solutions/
#   make classroom    the course on a local JupyterHub (as root; CLASSROOM_PORT=8000 by default)
# PyTorch comes from PyPI by default (on Linux its CUDA build, for learners and graders with a GPU).
# TORCH_INDEX=<a PyTorch wheel index> installs the pinned torch from there first, e.g. the CPU build
# for the website and the tests: make book TORCH_INDEX=https://download.pytorch.org/whl/cpu
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Grading sandboxes submissions with bubblewrap; the browser tests drive Debian's Chromium;
# the classroom's proxy runs on Node.js, and its environment is a venv of Debian's Python.
SYSTEM_PACKAGES := bwrap:bubblewrap prlimit:util-linux chromium:chromium node:nodejs npm:npm \
	/usr/lib/python3.11/ensurepip:python3-venv
PROXY := classroom/node_modules/.installed
CLASSROOM_PORT ?= 8000
TORCH_INDEX ?=
TORCH_PIN := $(shell grep -m1 '^torch==' requirements.txt)

.PHONY: setup system book exercises lint test test-fast classroom clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml rnncourse/grading/nbgrader_config.py
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(if $(TORCH_INDEX),$(BIN)/python -m pip install -q --index-url $(TORCH_INDEX) "$(TORCH_PIN)")
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
	COURSE_REPOSITORY="$(COURSE_REPOSITORY)" COURSE_HUB="$(COURSE_HUB)" $(BIN)/rnncourse book

exercises: setup
	$(BIN)/rnncourse exercises

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(PROXY): classroom/package.json classroom/package-lock.json
	npm ci --prefix classroom --no-audit --no-fund
	touch $@

classroom: system $(PROXY)
	$(SUDO) /usr/bin/python3 classroom/local_hub.py provision
	$(SUDO) env CLASSROOM_PORT=$(CLASSROOM_PORT) /usr/bin/python3 classroom/local_hub.py serve

test: lint system $(PROXY)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: lint system
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 -m "not (book or browser or autograde or classroom or wheel)"

clean:
	rm -rf _build
