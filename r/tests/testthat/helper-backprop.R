# testthat runs this first. The package is loaded already (by R CMD check, or by
# testthat::test_local("r") from a checkout); its internal functions are in
# reach too. No Python is involved anywhere under r/tests.

# A data set the package ships (inst/extdata: the repository's data/).
data_file <- function(name) {
  system.file("extdata", name, package = "backprop", mustWork = TRUE)
}

lecture_data <- function() {
  load_scaled(data_file("lecture.csv"))
}

# A frozen R output of parity/reference (here tests/testthat/reference, a link
# to its lecture case): "dim" and the dimensions, then one %.17g value a line,
# in R's column order.
read_reference <- function(case, quantity) {
  lines <- readLines(test_path("reference", case, paste0(quantity, ".txt")))
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

# The slides' script, r/lecture.R: beside the package in a checkout, not in it.
lecture_script <- function() {
  script <- file.path(test_path(), "..", "..", "lecture.R")
  if (!file.exists(script)) {
    skip("the slides' script r/lecture.R is not part of the package (run from a checkout)")
  }
  normalizePath(script)
}
