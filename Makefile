# newsletter-pipeline: set-up, demo, tests, lint, fixtures, benchmarks.
# `make demo` and `make test` do all the set-up on a fresh Debian machine.

VENV      ?= .venv
PY        := $(VENV)/bin/python
PIP       := $(VENV)/bin/pip
STAMP     := $(VENV)/.installed
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PKGS  := tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng tesseract-ocr-osd poppler-utils
DEMO_OUT  ?= out/demo

.PHONY: setup system-deps demo test lint fixtures bench clean

NATIVE_SRC := pipeline/native.py pipeline/lexicon.py $(wildcard pipeline/repair/*.py)
NATIVE    := build/native/stamp.json

setup: system-deps $(STAMP) $(NATIVE)

# Debian's Tesseract with Swedish and English data (and poppler's pdftotext, the
# benchmark's floor); then, optional, a C compiler with Python's headers for the compiled repair
# modules (without them the package runs as plain Python). Nothing is installed when everything
# is already there.
export HEADERS := import os, sys, sysconfig; \
  sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))
system-deps:
	@missing=""; \
	command -v tesseract >/dev/null 2>&1 || missing="$(APT_PKGS)"; \
	if [ -z "$$missing" ]; then \
	  langs=$$(tesseract --list-langs 2>/dev/null); \
	  echo "$$langs" | grep -qx swe || missing="$$missing tesseract-ocr-swe"; \
	  echo "$$langs" | grep -qx eng || missing="$$missing tesseract-ocr-eng"; \
	  echo "$$langs" | grep -qx osd || missing="$$missing tesseract-ocr-osd"; \
	  command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@optional=""; \
	command -v cc >/dev/null 2>&1 || optional="gcc libc6-dev"; \
	py=$(PY); [ -x $$py ] || py=python3; \
	$$py -c "$$HEADERS" 2>/dev/null || optional="$$optional python3-dev"; \
	if [ -n "$$optional" ]; then \
	  echo "installing Debian packages for the compiled repair modules: $$optional"; \
	  { $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$optional >/dev/null; } || \
	  echo "not installed: the repair stage will run as plain Python (same output, slower)"; \
	fi

$(STAMP): pyproject.toml
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	@$(PIP) install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# The repair's hot modules compiled with mypyc (pipeline/native.py): rebuilt when a source
# changes, tried again while no build stands (without a C compiler that takes a moment and
# says so); the package runs as plain Python until then, with the same output.
$(NATIVE): $(STAMP) $(NATIVE_SRC)
	@$(PY) -W ignore::RuntimeWarning -m pipeline.native

demo: setup
	@$(VENV)/bin/newsletter batch fixtures/pdf -o $(DEMO_OUT) --jobs 2
	@$(PY) -m pipeline.demo_summary $(DEMO_OUT)

test: setup
	@$(PY) -m pytest -q

lint: setup
	@$(VENV)/bin/ruff check pipeline tests fixtures
	@$(VENV)/bin/mypy pipeline

fixtures: setup
	@$(PY) fixtures/make_fixtures.py

bench: setup
	@$(PY) -m tests.bench.run

clean:
	rm -rf out build .pytest_cache .mypy_cache .ruff_cache
