# testthat runs this first, in r/tests: every file of definitions under r/
# (all but the two scripts), as parity/r_session.py loads them for rpy2, and
# a reader of the frozen reference that parity/reference/make_reference.R
# writes. No Python is involved anywhere under r/tests.

r_dir <- normalizePath("..")
repo <- dirname(r_dir)
r_scripts <- c("lecture.R", "make_iris.R")
for (file in setdiff(sort(list.files(r_dir, pattern = "[.]R$")), r_scripts)) {
  source(file.path(r_dir, file))
}

# A frozen R output: "dim" and the dimensions, then one %.17g value a line,
# in R's column order.
read_reference <- function(case, quantity) {
  lines <- readLines(file.path(repo, "parity", "reference", case,
                               paste0(quantity, ".txt")))
  dims <- as.integer(strsplit(lines[1], " ")[[1]][-1])
  values <- as.numeric(lines[-1])
  if (length(dims) == 2) matrix(values, nrow = dims[1], ncol = dims[2]) else values
}

# The harness's tolerance (parity/compare.py): elementwise
# |a - b| <= 1e-15 + 1e-10 * max(|a|, |b|), shapes first.
expect_close <- function(actual, expected) {
  expect_identical(dim(actual), dim(expected))
  expect_identical(length(actual), length(expected))
  expect_true(all(abs(actual - expected) <=
                    1e-15 + 1e-10 * pmax(abs(actual), abs(expected))))
}

lecture_data <- function() {
  load_scaled(file.path(repo, "data", "lecture.csv"))
}
