# newsletter-pipeline: set-up, demo, tests, lint, fixtures, benchmarks.
# `make demo` and `make test` do all the set-up on a fresh Debian machine.

VENV      ?= .venv
PY        := $(VENV)/bin/python
PIP       := $(VENV)/bin/pip
STAMP     := $(VENV)/.installed
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PKGS  := tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng tesseract-ocr-osd poppler-utils ghostscript fonts-liberation
DEMO_OUT  ?= out/demo

.PHONY: setup system-deps demo test lint fixtures data bench fuzz clean

setup: system-deps $(STAMP)

# Debian's Tesseract with Swedish and English data, poppler's pdftotext (the benchmark's
# floor), Ghostscript and the Liberation fonts (`--pdfa`: Arial's, Times New Roman's and
# Courier New's widths, for PDFs that name these fonts without embedding them), and Debian's
# Chromium, which the review page's browser test drives with Playwright (never `playwright
# install`). Nothing is installed when everything is already there.
system-deps:
	@missing=""; \
	command -v tesseract >/dev/null 2>&1 || missing="$(APT_PKGS)"; \
	if [ -z "$$missing" ]; then \
	  langs=$$(tesseract --list-langs 2>/dev/null); \
	  echo "$$langs" | grep -qx swe || missing="$$missing tesseract-ocr-swe"; \
	  echo "$$langs" | grep -qx eng || missing="$$missing tesseract-ocr-eng"; \
	  echo "$$langs" | grep -qx osd || missing="$$missing tesseract-ocr-osd"; \
	  command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	  command -v gs >/dev/null 2>&1 || missing="$$missing ghostscript"; \
	  [ -d /usr/share/fonts/truetype/liberation ] || missing="$$missing fonts-liberation"; \
	fi; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	@$(PIP) install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

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

# The OCR channel learned from Tesseract's own errors (fixtures/ocr_channel.py; several minutes:
# it renders, degrades and OCRs pages of ../shared/corpus/text-sv), and the repair's context
# weights, counted on the "estimate" part of ../shared/corpus/text-sv (the "held out" part is
# never read). See pipeline/data/README.md.
TEXT_SV := ../shared/corpus/text-sv/ud_lines_train_2019.txt ../shared/corpus/text-sv/ud_talbanken_dev.txt
data: setup
	@$(PY) -m fixtures.ocr_channel estimate > pipeline/data/ocr_channel.tsv.new
	@mv pipeline/data/ocr_channel.tsv.new pipeline/data/ocr_channel.tsv
	@$(PY) -m pipeline.repair.estimate_context $(TEXT_SV) > pipeline/data/context.tsv.new
	@mv pipeline/data/context.tsv.new pipeline/data/context.tsv

bench: setup
	@$(PY) -m tests.bench.run

# 1,000 damaged copies of the fixture and ../shared/corpus/sv PDFs as one batch (about 15 min on
# 2 cores): every input one ok or error record, no traceback, no hang, no partial output
fuzz: setup
	@nice $(PY) -m tests.fuzz

clean:
	rm -rf out build .pytest_cache .mypy_cache .ruff_cache
