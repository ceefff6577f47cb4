# Thin wrappers: `make book` builds the website, `make test` runs every test.
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Grading sandboxes submissions with bubblewrap; the browser tests drive Debian's Chromium.
SYSTEM_PACKAGES := bwrap:bubblewrap prlimit:util-linux chromium:chromium

.PHONY: setup system book test clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt -r requirements-dev.txt
	touch $@

system:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
	  command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; fi

# Launch links: make book COURSE_REPOSITORY=<public git URL> [COURSE_HUB=<JupyterHub URL>]
book: setup
	COURSE_REPOSITORY="$(COURSE_REPOSITORY)" COURSE_HUB="$(COURSE_HUB)" $(BIN)/python -m rnncourse.site

test: setup system
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadfile

clean:
	rm -rf _build
