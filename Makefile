# `make parity` and `make test` each do all the set-up on a fresh Debian
# machine: R and testthat from apt when missing, then .venv with the project.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: parity test lint bench figures reference r-installed clean

parity: $(INSTALLED)
	$(PY) -m parity

# R's own tests (testthat, no Python), then every Python and parity test.
test: $(INSTALLED)
	Rscript -e 'testthat::test_dir("r/tests", reporter = "summary", stop_on_failure = TRUE)'
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

R_PACKAGES := r-base-core r-cran-testthat

r-installed:
	@Rscript -e 'library(testthat)' >/dev/null 2>&1 || { \
	  echo "R or testthat not found: installing Debian's $(R_PACKAGES)"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(R_PACKAGES); }

# rpy2 is pinned to >=3.5.17,<3.6 in pyproject.toml: 3.6 needs R >= 4.5 and
# Debian's r-base-core is 4.2. R must be present before rpy2 is built.
$(INSTALLED): pyproject.toml | r-installed
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) figures .pytest_cache .mypy_cache .ruff_cache
