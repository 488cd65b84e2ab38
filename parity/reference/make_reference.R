# Freezes R's outputs of every parity case, so Python can be checked against R
# on a machine without R, and R against its own past. Run from the repository
# root:  Rscript parity/reference/make_reference.R   (or: make reference)
#
# The cases come from parity/reference/cases.csv, the one list that Python's
# parity/cases.py reads too. A row holds what differs from the defaults: an
# empty cell is the setting's default (network_defaults(), the package's table
# of settings; fit_nnet()'s own for rang and nnet_output). Each case
# runs through fit_file() of the R package (r/R/fit.R), loaded from its sources
# as the harness loads it, as the harness runs it: the trainer is
# the one choose_trainer() picks (the lecture's train() for the lecture's
# network, train_network() for any other). Each case gets a directory with one
# file per quantity the trainer returns (W_k, B_k, Y_hat, cost_history, W_k_init,
# B_k_init): "dim" and the dimensions on the first line, then one value a line
# in R's column order, printed with sprintf("%.17g"): 17 significant digits
# name every double exactly, so reading the file gives back R's very doubles.

reference_dir <- file.path("parity", "reference")

read_cases <- function(path) {
  cases <- utils::read.csv(path, stringsAsFactors = FALSE,
                           colClasses = c(name = "character", data = "character",
                                          target = "character", hidden = "character",
                                          seed = "integer", iterations = "integer",
                                          step = "numeric", batch_size = "integer",
                                          test_fraction = "numeric",
                                          restarts = "integer", decay = "numeric",
                                          activation = "character",
                                          output_activation = "character",
                                          loss = "character", init = "character",
                                          optimizer = "character", bias = "logical",
                                          alpha = "numeric", beta = "numeric",
                                          rho = "numeric", beta1 = "numeric",
                                          beta2 = "numeric", eps = "numeric",
                                          maxit = "numeric", reltol = "numeric",
                                          abstol = "numeric", model = "character",
                                          rang = "numeric", nnet_output = "character",
                                          why = "character"))
  nnet <- formals(fit_nnet)
  defaults <- c(network_defaults(), list(model = "network", rang = nnet$rang,
                                         nnet_output = nnet$output))
  for (name in intersect(names(cases), names(defaults))) {
    column <- cases[[name]]
    blank <- is.na(column) | (is.character(column) & column %in% "")
    if (any(blank) && !is.null(defaults[[name]])) {   # batch_size: NULL, stays NA
      filled <- column
      filled[blank] <- if (name == "hidden") as.character(defaults[[name]]) else defaults[[name]]
      storage.mode(filled) <- storage.mode(column)
      cases[[name]] <- filled
    }
  }
  cases
}

# "4,3" -> c(4L, 3L): the units of each hidden layer, first to last.
parse_hidden <- function(text) {
  if (!grepl("^[1-9][0-9]*(,[1-9][0-9]*)*$", text)) {
    stop(sprintf("hidden must be whole numbers >= 1 joined by commas; got '%s'",
                 text), call. = FALSE)
  }
  as.integer(strsplit(text, ",", fixed = TRUE)[[1]])
}

# The case's training settings: train_network()'s arguments, by name (an NA
# batch_size is NULL: all rows at once).
case_settings <- function(case) {
  settings <- as.list(case[names(network_defaults())])
  settings$hidden <- parse_hidden(case$hidden)
  if (is.na(settings$batch_size)) settings["batch_size"] <- list(NULL)
  settings
}

# The case as parity runs it: raw CSV, loaded, encoded and trained in R (an NA
# test_fraction: no split; an NA restarts: one training).
run_case <- function(case) {
  if (case$model == "nnet") {  # R's own nnet, through fit_nnet()
    data <- load_file(case$data, case$target)
    fit <- fit_nnet(data$X, data$Y, size = parse_hidden(case$hidden),
                    seed = case$seed, rang = case$rang, decay = case$decay,
                    maxit = case$maxit, output = case$nnet_output)
    return(list(X = data$X, Y = data$Y, result = fit))
  }
  split <- if (!is.na(case$test_fraction)) case$test_fraction
  restarts <- if (!is.na(case$restarts)) case$restarts
  do.call(fit_file, c(list(case$data, case$target), case_settings(case),
                      list(test_fraction = split, restarts = restarts)))
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
  for (quantity in names(fit)) {
    if (is.numeric(fit[[quantity]])) {  # not the class names: they are the data's
      write_array(fit[[quantity]], file.path(case_dir, paste0(quantity, ".txt")))
    }
  }
}

write_provenance <- function(dir) {
  info <- utils::sessionInfo()
  # The C library's exp, log and tanh are part of R's arithmetic too.
  libc <- system2("getconf", "GNU_LIBC_VERSION", stdout = TRUE)
  writeLines(c(R.version.string, paste("BLAS:", info$BLAS),
               paste("LAPACK:", info$LAPACK), paste("libc:", libc)),
             file.path(dir, "R_VERSION.txt"))
}

main <- function() {
  if (!file.exists(file.path("r", "DESCRIPTION"))) {
    stop("run from the repository root: Rscript parity/reference/make_reference.R",
         call. = FALSE)
  }
  pkgload::load_all("r", export_all = TRUE, helpers = FALSE, quiet = TRUE)
  path <- file.path(reference_dir, "cases.csv")
  cases <- read_cases(path)
  trainers <- character(nrow(cases))
  for (i in seq_len(nrow(cases))) {
    fitted <- run_case(cases[i, ])
    write_case(cases$name[i], fitted$result, reference_dir)
    trainers[i] <- if (cases$model[i] == "nnet") {
      "nnet"
    } else {
      do.call(choose_trainer, c(list(fitted$Y), case_settings(cases[i, ])))
    }
  }
  write_provenance(reference_dir)
  by <- table(factor(trainers, c("train", "train_network", "nnet")))
  cat(sprintf("wrote %d cases to %s (%d by train, %d by train_network, %d by nnet)\n",
              nrow(cases), reference_dir, by[["train"]], by[["train_network"]],
              by[["nnet"]]))
}

# Run by Rscript; sourcing the file (as the tests do) only defines the functions.
if (sys.nframe() == 0L) {
  main()
}
