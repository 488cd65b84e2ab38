# Reading a data CSV with clear errors. Only definitions: safe to source().
# Python twin: py/backprop/data.py. The last column is the target.

read_data <- function(path) {
  if (!file.exists(path)) {
    stop(sprintf("%s: no such file", path), call. = FALSE)
  }
  if (file.size(path) == 0) {
    stop(sprintf("%s: the file is empty", path), call. = FALSE)
  }
  table <- utils::read.csv(path, colClasses = "character", check.names = FALSE)
  if (ncol(table) < 2) {
    stop(sprintf("%s: need at least two columns (features, then target); got %d",
                 path, ncol(table)), call. = FALSE)
  }
  if (nrow(table) == 0) {
    stop(sprintf("%s: no data rows under the header", path), call. = FALSE)
  }
  values <- suppressWarnings(matrix(as.numeric(unlist(table)), nrow = nrow(table)))
  if (!all(is.finite(values))) {
    stop(sprintf("%s: every cell must be a finite number", path), call. = FALSE)
  }
  x <- values[, -ncol(values), drop = FALSE]
  y <- values[, ncol(values), drop = FALSE]
  check_feature_maxima(x, names(table)[-ncol(table)], path)
  list(x = x, y = y)
}

# Scaling divides by each column's maximum, so it must be positive.
check_feature_maxima <- function(x, names, path) {
  colmax <- apply(x, 2, max)
  bad <- which(colmax <= 0)
  if (length(bad) > 0) {
    stop(sprintf(paste0("%s: feature column '%s' has maximum %g; ",
                        "scaling divides by it, so it must be > 0"),
                 path, names[bad[1]], colmax[bad[1]]), call. = FALSE)
  }
}
