# Thin wrappers: `make book` builds the website, `make test` runs every test.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup book test clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt -r requirements-dev.txt
	touch $@

book: setup
	$(BIN)/python -m rnncourse.site

test: setup
	$(BIN)/python -m pytest -n 2

clean:
	rm -rf _build
