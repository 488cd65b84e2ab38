# Freezes R's outputs of every parity case, so Python can be checked against R
# on a machine without R, and R against its own past. Run from the repository
# root:  Rscript parity/reference/make_reference.R   (or: make reference)
#
# The cases come from parity/reference/cases.csv, the one list that Python's
# parity/cases.py reads too. Each case gets a directory with one file per
# quantity: "dim" and the dimensions on the first line, then one value a line
# in R's column order, printed with sprintf("%.17g"): 17 significant digits
# name every double exactly, so reading the file gives back R's very doubles.

reference_dir <- file.path("parity", "reference")
quantities <- c("W_1", "W_2", "Y_hat", "W_1_init", "W_2_init", "cost_history")

read_cases <- function(path) {
  utils::read.csv(path, stringsAsFactors = FALSE,
                  colClasses = c(name = "character", data = "character",
                                 hidden = "integer", seed = "integer",
                                 iterations = "integer", step = "numeric"))
}

# The case as parity runs it: raw CSV, scaled in R, trained in R.
run_case <- function(case) {
  raw <- read_data(case$data)
  train(scale_features(raw$x), scale_target(raw$y), hidden = case$hidden,
        seed = case$seed, iterations = case$iterations, step = case$step)
}

write_array <- function(x, path) {
  dims <- if (is.null(dim(x))) length(x) else dim(x)
  writeLines(c(paste("dim", paste(dims, collapse = " ")),
               sprintf("%.17g", as.vector(x))), path)
}

write_case <- function(name, fit, dir) {
  case_dir <- file.path(dir, name)
  unlink(case_dir, recursive = TRUE)   # no stale quantity survives
  dir.create(case_dir, recursive = TRUE)
  for (quantity in quantities) {
    write_array(fit[[quantity]], file.path(case_dir, paste0(quantity, ".txt")))
  }
}

write_provenance <- function(dir) {
  info <- utils::sessionInfo()
  writeLines(c(R.version.string, paste("BLAS:", info$BLAS),
               paste("LAPACK:", info$LAPACK)),
             file.path(dir, "R_VERSION.txt"))
}

main <- function() {
  if (!file.exists(file.path("r", "network.R"))) {
    stop("run from the repository root: Rscript parity/reference/make_reference.R",
         call. = FALSE)
  }
  source(file.path("r", "network.R"))
  source(file.path("r", "data.R"))
  cases <- read_cases(file.path(reference_dir, "cases.csv"))
  for (i in seq_len(nrow(cases))) {
    write_case(cases$name[i], run_case(cases[i, ]), reference_dir)
  }
  write_provenance(reference_dir)
  cat(sprintf("wrote %d cases to %s\n", nrow(cases), reference_dir))
}

# Run by Rscript; sourcing the file (as the tests do) only defines the functions.
if (sys.nframe() == 0L) {
  main()
}
