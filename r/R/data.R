# Reading a data CSV with clear errors. Only definitions: safe to source()
# after checks.R and network.R.
# Python twin: py/backprop/data.py. The last column is the target.
#
# read.csv() reads the cells and as.numeric() the numbers: Python's twin copies
# both, to the character and to the bit. What read.csv would read other than
# as it looks (a ragged row, a quote never closed, a NUL byte, text that is not
# UTF-8) both refuse, in the same words.

# The target is a number (the lecture's scores, scaled by 1/100) or, for
# classification, a class label encoded one-hot (softmax + cross-entropy) or
# 0/1 (sigmoid + binary cross-entropy); see load_scaled().

# How load_scaled() encodes the target column: "numeric" (the lecture's
# y / 100), "onehot" (one column per class, for softmax) or "binary" (0/1).
TARGETS <- c("numeric", "onehot", "binary")

# A CSV's first line break comes within this many bytes, or the file is not a
# table (a binary file, /dev/zero) and is refused before more of it is read.
FIRST_LINE_LIMIT <- 2^20

# The last file read_data() and read_labeled() read, and what each gave: fit_file()
# asks for a file's labels up to three times, and reads it once per question.
.last_read <- new.env(parent = emptyenv())

#' Read a data CSV: raw features and the target column
#'
#' The file has a header; the last column is the target, the others are the
#' features, read as R's `read.csv()` reads them. A file that is not a table
#' of finite numbers (a missing file, ragged rows, text where a number
#' belongs) stops with one clear error naming the file, line and column.
#'
#' @param path The CSV file.
#' @return A list: `x`, the (N, D) matrix of raw features, and `y`, the
#'   (N, 1) matrix of raw targets.
#' @examples
#' raw <- read_data(system.file("extdata", "lecture.csv", package = "backprop"))
#' raw$x
#' @export
read_data <- function(path) {
  bytes <- read_raw(path)
  last <- .last_read$data
  if (!is.null(last) && identical(last$bytes, bytes)) {
    return(last$value)
  }
  .last_read$data <- NULL
  table <- read_table(path, bytes)
  values <- matrix(parse_numbers(unlist(table)), nrow = nrow(table))
  if (!all(is.finite(values))) {
    stop_if_text_target(table, values, path)  # the clearer message, if it is that
    stop(sprintf("%s: every cell must be a finite number", path), call. = FALSE)
  }
  x <- values[, -ncol(values), drop = FALSE]
  y <- values[, ncol(values), drop = FALSE]
  check_feature_maxima(x, names(table)[-ncol(table)], path)
  .last_read$data <- list(bytes = bytes, value = list(x = x, y = y))
  list(x = x, y = y)
}

# Raw features x (N, D) and the target column's N cells as class labels: the
# cells' text with surrounding blanks removed; "0" and "1" are labels too.
read_labeled <- function(path) {
  bytes <- read_raw(path)
  last <- .last_read$labeled
  if (!is.null(last) && identical(last$bytes, bytes)) {
    return(last$value)
  }
  .last_read$labeled <- NULL
  table <- read_table(path, bytes)
  features <- table[, -ncol(table), drop = FALSE]
  x <- matrix(parse_numbers(unlist(features)), nrow = nrow(table))
  if (!all(is.finite(x))) {
    stop(sprintf("%s: every feature cell must be a finite number", path),
         call. = FALSE)
  }
  labels <- trimws(table[[ncol(table)]])
  empty <- which(labels == "")
  if (length(empty) > 0) {
    stop(sprintf("%s, line %d: the class label (last cell) is empty",
                 path, attr(table, "lines")[empty[1]]), call. = FALSE)
  }
  check_feature_maxima(x, names(table)[-ncol(table)], path)
  .last_read$labeled <- list(bytes = bytes, value = list(x = x, labels = labels))
  list(x = x, labels = labels)
}

# The distinct labels in C-locale order (by code point): method = "radix"
# sorts the same in every locale, and as Python's sorted() does.
class_names <- function(labels) {
  sort(unique(labels), method = "radix")
}

# The class names of the target column, in the order of the encodings'
# columns / of 0, 1.
read_classes <- function(path) {
  class_names(read_labeled(path)$labels)
}

# One column per class, in the order of classes: row i has a 1 in its
# class's column.
encode_onehot <- function(labels, classes) {
  if (length(classes) < 2) {
    stop(sprintf("a one-hot target needs at least two classes; got %d: %s",
                 length(classes), describe_classes(classes)), call. = FALSE)
  }
  Y <- matrix(0, nrow = length(labels), ncol = length(classes))   # (N, K)
  Y[cbind(seq_along(labels), match(labels, classes))] <- 1
  Y
}

# 0 for the first class, 1 for the second: an (N, 1) target for binary
# cross-entropy.
encode_binary <- function(labels, classes) {
  if (length(classes) != 2) {
    stop(sprintf(paste0("a binary target needs exactly two classes; got %d: %s; ",
                        "use the 'onehot' target for more than two"),
                 length(classes), describe_classes(classes)), call. = FALSE)
  }
  matrix(as.numeric(labels == classes[2]), ncol = 1)               # (N, 1)
}

#' Read a data CSV scaled as the lecture scales it
#'
#' Features scaled into \[0, 1\] by each column's maximum
#' ([scale_features()]), and the target encoded: `"numeric"` is the lecture's
#' `Y = y / 100` ([scale_target()]); `"onehot"` gives one column per class
#' (for a softmax output), `"binary"` one column of 0 and 1 (exactly two
#' classes), the classes in R's `sort(method = "radix")` order. Class targets
#' are not scaled.
#'
#' @param path The CSV file: a header, the features, the target last.
#' @param target `"numeric"` (default), `"onehot"` or `"binary"`.
#' @return A list: `X`, the (N, D) scaled features, and `Y`, the (N, 1)
#'   target, or (N, K) one-hot for K classes.
#' @examples
#' lecture <- load_scaled(system.file("extdata", "lecture.csv", package = "backprop"))
#' lecture$X
#' lecture$Y
#' iris <- load_scaled(system.file("extdata", "iris.csv", package = "backprop"), "onehot")
#' dim(iris$Y)
#' @export
load_scaled <- function(path, target = "numeric") {
  check_name("target", target, TARGETS)
  if (target == "numeric") {
    raw <- read_data(path)
    return(list(X = scale_features(raw$x), Y = scale_target(raw$y)))
  }
  data <- read_labeled(path)
  classes <- class_names(data$labels)
  encode <- if (target == "onehot") encode_onehot else encode_binary
  Y <- tryCatch(encode(data$labels, classes), error = function(e) {
    stop(sprintf("%s: %s", path, conditionMessage(e)), call. = FALSE)
  })
  list(X = scale_features(data$x), Y = Y)
}

# The file's bytes, read whole, once; refused in one line where that cannot end
# well: no such file, no line break in its first FIRST_LINE_LIMIT bytes (not a
# table: a binary file, /dev/zero), or nothing in it. (R says itself when memory
# runs out; Python estimates before it reads.)
read_raw <- function(path) {
  if (!file.exists(path)) {
    stop(sprintf("%s: no such file", path), call. = FALSE)
  }
  con <- file(path, "rb", raw = TRUE)
  on.exit(close(con))
  first <- readBin(con, "raw", FIRST_LINE_LIMIT)
  if (length(first) == FIRST_LINE_LIMIT &&
      !any(first == as.raw(10L) | first == as.raw(13L))) {
    stop(sprintf("%s: no line break in its first %d MB, so it is not a CSV table",
                 path, FIRST_LINE_LIMIT %/% 2^20), call. = FALSE)
  }
  rest <- list()
  repeat {
    chunk <- readBin(con, "raw", 16 * FIRST_LINE_LIMIT)
    if (length(chunk) == 0) break
    rest[[length(rest) + 1]] <- chunk
  }
  bytes <- c(first, unlist(rest))
  if (length(bytes) == 0) {
    stop(sprintf("%s: the file is empty", path), call. = FALSE)
  }
  bytes
}

# The CSV as a data frame of text cells (read.csv's), with the checks every
# reader needs; attribute "lines": the line each row starts on. Every line
# that is not empty must have the header's number of cells, counted as
# read.csv counts them (count.fields), so read.csv neither fills a short row
# nor carries a long one over, nor takes the first column for row names.
# na.strings = character(0): a cell "NA" stays text (a class may be called NA).
read_table <- function(path, bytes = read_raw(path)) {
  if (length(grepRaw(as.raw(0L), bytes, fixed = TRUE)) > 0) {
    stop(sprintf("%s: it holds a NUL byte, so it is not a text (CSV) file", path),
         call. = FALSE)
  }
  if (!validUTF8(rawToChar(bytes))) {
    stop(sprintf("%s: it is not UTF-8 text; save it as UTF-8", path), call. = FALSE)
  }
  con <- rawConnection(bytes)
  counts <- utils::count.fields(con, sep = ",", quote = "\"", comment.char = "",
                                blank.lines.skip = FALSE)
  close(con)
  counts <- as.integer(counts)   # NA: a line inside quotes; 0: an empty line
  known <- cummax(ifelse(is.na(counts), 0L, seq_along(counts)))
  starts <- c(1L, utils::head(known, -1L) + 1L)   # where the record ending here starts
  ends <- which(counts > 0)
  if (sum(bytes == as.raw(34L)) %% 2 == 1) {   # a quote never closed, opened here:
    line <- starts[length(counts)]
    column <- counts[length(counts)]
    names <- character(0)
    if (length(ends) > 0 && ends[1] < line) {
      con <- rawConnection(bytes)
      names <- scan(con, what = "", sep = ",", quote = "\"", skip = starts[ends[1]] - 1,
                    nlines = 1, strip.white = TRUE, quiet = TRUE,
                    na.strings = character(0), comment.char = "", encoding = "UTF-8")
      close(con)
    }
    name <- if (column <= length(names)) sprintf(" ('%s')", names[column]) else ""
    stop(sprintf(paste0("%s, line %d: the quote that opens column %d%s is never ",
                        "closed, so the rest of the file would be one cell"),
                 path, line, column, name), call. = FALSE)
  }
  if (length(ends) == 0) {
    stop(sprintf("%s: the file is empty", path), call. = FALSE)
  }
  width <- counts[ends[1]]
  if (width < 2) {
    stop(sprintf("%s: need at least two columns (features, then target); got %d",
                 path, width), call. = FALSE)
  }
  rows <- ends[-1]
  if (length(rows) == 0) {
    stop(sprintf("%s: no data rows under the header", path), call. = FALSE)
  }
  ragged <- rows[counts[rows] != width]
  if (length(ragged) > 0) {
    stop(sprintf("%s, line %d: expected %d cells, got %d", path,
                 starts[ragged[1]], width, counts[ragged[1]]), call. = FALSE)
  }
  if (!identical(file.size(path), as.numeric(length(bytes)))) {   # a pipe: read once
    path <- tempfile(fileext = ".csv")
    writeBin(bytes, path)
    on.exit(unlink(path))
  }
  con <- file(path, "rt", raw = TRUE)   # raw: no guessing of a compressed file
  on.exit(close(con), add = TRUE, after = FALSE)
  table <- utils::read.csv(con, colClasses = "character", check.names = FALSE,
                           na.strings = character(0), encoding = "UTF-8")
  attr(table, "lines") <- starts[rows]
  table
}

# R's as.numeric() of text cells: the number where R reads one, NA elsewhere
# (the grammar py/backprop/data.py's parse_numbers() copies).
parse_numbers <- function(cells) {
  suppressWarnings(as.numeric(cells))
}

# Scaling divides by each column's maximum, so it must be positive, and the
# quotients must stay finite (a maximum of 1e-300 over a cell of -1e300 does
# not).
check_feature_maxima <- function(x, names, path) {
  colmax <- apply(x, 2, max)
  bad <- which(colmax <= 0)
  if (length(bad) > 0) {
    stop(sprintf(paste0("%s: feature column '%s' has maximum %g; ",
                        "scaling divides by it, so it must be > 0"),
                 path, names[bad[1]], colmax[bad[1]]), call. = FALSE)
  }
  overflows <- which(!apply(is.finite(t(t(x) / colmax)), 2, all))
  if (length(overflows) > 0) {
    j <- overflows[1]
    stop(sprintf(paste0("%s: feature column '%s' cannot be scaled: dividing ",
                        "its smallest value %g by its maximum %g overflows"),
                 path, names[j], min(x[, j]), colmax[j]), call. = FALSE)
  }
}

# 'a', 'b', 'c' -- or the first few and how many there are.
describe_classes <- function(classes, shown = 5) {
  names <- paste0("'", utils::head(classes, shown), "'", collapse = ", ")
  if (length(classes) <= shown) {
    names
  } else {
    sprintf("%s, ... (%d classes)", names, length(classes))
  }
}

# If the features are numbers and the target is text, say so and name the
# options.
stop_if_text_target <- function(table, values, path) {
  target <- table[[ncol(table)]]
  features_ok <- all(is.finite(values[, -ncol(values)]))
  target_text <- any(is.na(parse_numbers(target)))
  if (features_ok && target_text) {
    stop(sprintf(paste0("%s: the target column '%s' holds text, not numbers ",
                        "(classes %s); choose the target encoding 'onehot' ",
                        "(softmax, any number of classes) or 'binary' ",
                        "(exactly two classes)"),
                 path, names(table)[ncol(table)],
                 describe_classes(class_names(trimws(target)))), call. = FALSE)
  }
}
