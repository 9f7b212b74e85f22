# Two commands on a fresh machine with python3: `make run` (set up, then serve) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test browser ocr bench accuracy clean

$(STAMP): pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $(STAMP)

run: $(STAMP) ocr
	$(VENV)/bin/report-inbox serve

# Page tests drive Debian's Chromium, README examples call sqlite3 and curl; without them
# (no root, no apt) those tests are skipped or fail with the missing command named.
browser:
	@{ command -v chromium && command -v sqlite3 && command -v curl && fc-list | grep -qi wqy; } >/dev/null 2>&1 || \
	  { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei sqlite3 curl >/dev/null; } || \
	  echo "chromium is not installed: browser tests will be skipped"

# Scans are read by Debian's Tesseract with its Simplified Chinese model; without it (no root,
# no apt) scanned files fail with a reason saying how to enable OCR, and OCR tests are skipped.
ocr:
	@{ command -v tesseract && tesseract --list-langs 2>/dev/null | grep -qx chi_sim; } >/dev/null 2>&1 || \
	  { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim >/dev/null; } || \
	  echo "tesseract-ocr-chi-sim is not installed: scanned pages will fail and OCR tests will be skipped"

test: $(STAMP) browser ocr
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/extraction.py
	$(PY) benchmarks/search.py
	$(PY) benchmarks/convert.py
	$(PY) benchmarks/dedupe.py

# The labelled corpus beside the checkout (../shared/corpus), ingested fresh and scored.
accuracy: $(STAMP)
	$(PY) benchmarks/accuracy.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
