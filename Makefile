# Thin wrappers: `make book` builds the website, `make test` runs every test.
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Grading sandboxes submissions with bubblewrap; the browser tests drive Debian's Chromium.
SYSTEM_PACKAGES := bwrap:bubblewrap prlimit:util-linux chromium:chromium

.PHONY: setup system book test clean

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
	  command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; fi

book: setup
	$(BIN)/python -m rnncourse.site

test: setup system
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadfile

clean:
	rm -rf _build
