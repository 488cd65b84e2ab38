# `make parity` and `make test` each do all the set-up on a fresh Debian
# machine: R and testthat from apt when missing, then .venv with the project.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: parity test check-r docs-r fuzz lint bench figures reference site handout notebook r-installed browser-installed clean

parity: $(INSTALLED)
	$(PY) -m parity

# R's own tests (testthat, no Python), then every Python and parity test,
# the browser tests of the site among them.
test: $(INSTALLED) | browser-installed
	Rscript --vanilla -e 'testthat::test_local("r", reporter = "summary", stop_on_failure = TRUE)'
	$(PY) -m pytest -n 2 --dist loadgroup --durations=10

# The command line fuzzed much longer than `make test` does, freshly random each run.
FUZZ_EXAMPLES ?= 3000
fuzz: $(INSTALLED)
	BACKPROP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q --hypothesis-show-statistics \
	  parity/tests/test_fuzz_cli.py

lint: $(INSTALLED)
	$(VENV)/bin/ruff check py parity
	$(VENV)/bin/ruff format --check py parity
	$(VENV)/bin/mypy

bench: $(INSTALLED)
	$(PY) -m parity.bench

figures: $(INSTALLED) | browser-installed
	$(PY) -m backprop train --plot figures
	$(PY) -m parity --plot figures
	$(PY) -m parity.site --out site
	$(PY) -m parity.site.screenshot site/lecture.html parity/site/lecture_page.png --at chunk-delta_3
	$(PY) -m parity.site.screenshot site/lecture.html parity/site/explorer.png --at explorer \
	  --height 900

# The teaching site under site/: open site/index.html. It runs both languages,
# R through rpy2, and the lecture's notebook in a kernel (nbclient, ipykernel).
site: $(INSTALLED)
	$(PY) -m parity.site --out site

# The lecture as a Jupyter notebook students run: lecture.ipynb, not yet run
# (R cells by rpy2's %%R magic beside Python cells; open it in Jupyter).
notebook: $(INSTALLED)
	$(PY) -m parity.site.notebook --out lecture.ipynb

# The lecture page as a PDF handout (its print styles: A4, the lecture alone, at
# most 10 pages, numbered, R and Python side by side, code at 8 pt).
handout: site | browser-installed
	chromium --headless --no-sandbox --disable-gpu --no-first-run \
	  --disable-background-networking --disable-component-update --disable-sync \
	  --user-data-dir=$$(mktemp -d) --no-pdf-header-footer \
	  --print-to-pdf=site/lecture.pdf "file://$(CURDIR)/site/lecture.html"

# The R package as R users meet it: its help pages and NAMESPACE from the roxygen
# comments (committed; this rewrites them), then R's own gate on the built tarball.
docs-r: r-installed
	Rscript --vanilla -e 'roxygen2::roxygenise("r")'

check-r: r-installed
	@dir=$$(mktemp -d) && cd $$dir && R CMD build --no-build-vignettes $(CURDIR)/r >build.log 2>&1 \
	  || { cat build.log; exit 1; }; \
	  _R_CHECK_FORCE_SUGGESTS_=false R CMD check --no-manual backprop_*.tar.gz; status=$$?; \
	  rm -rf $$dir; exit $$status

reference: $(INSTALLED)
	Rscript --vanilla parity/reference/make_reference.R

R_PACKAGES := r-base-core r-cran-testthat r-cran-nnet r-cran-pkgload r-cran-roxygen2

r-installed:
	@Rscript --vanilla -e 'library(testthat); library(nnet); library(pkgload); library(roxygen2)' >/dev/null 2>&1 || { \
	  echo "R, testthat, nnet, pkgload or roxygen2 not found: installing Debian's $(R_PACKAGES)"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(R_PACKAGES); }

# Debian's chromium, for the browser tests and the handout (Playwright cannot
# download its own browser here; the tests pass executable_path).
browser-installed:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "chromium not found: installing Debian's chromium"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

# rpy2 is pinned to >=3.5.17,<3.6 in pyproject.toml: 3.6 needs R >= 4.5 and
# Debian's r-base-core is 4.2. R must be present before rpy2 is built.
$(INSTALLED): pyproject.toml | r-installed
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) figures site lecture.ipynb .pytest_cache .mypy_cache .ruff_cache
