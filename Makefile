# `make parity` and `make test` each do all the set-up on a fresh Debian
# machine: R from apt when Rscript is missing, then .venv with the project.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: parity test lint bench figures reference r-installed clean

parity: $(INSTALLED)
	$(PY) -m parity

test: $(INSTALLED)
	$(PY) -m pytest

lint: $(INSTALLED)
	$(VENV)/bin/ruff check py parity
	$(VENV)/bin/ruff format --check py parity
	$(VENV)/bin/mypy

bench: $(INSTALLED)
	$(PY) -m parity.bench

figures: $(INSTALLED)
	$(PY) -m backprop train --plot figures
	$(PY) -m parity --plot figures

reference: $(INSTALLED)
	Rscript parity/reference/make_reference.R

r-installed:
	@command -v Rscript >/dev/null 2>&1 || { \
	  echo "Rscript not found: installing Debian's r-base-core"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core; }

# rpy2 is pinned to >=3.5.17,<3.6 in pyproject.toml: 3.6 needs R >= 4.5 and
# Debian's r-base-core is 4.2. R must be present before rpy2 is built.
$(INSTALLED): pyproject.toml | r-installed
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) figures .pytest_cache .mypy_cache .ruff_cache
