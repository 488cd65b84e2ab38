# Classification data from R's built-in iris (Fisher's / Anderson's irises).
# Only definitions when sourced; run it to write the two CSVs:
#   Rscript r/make_iris.R          (from the repository's root)
# data/iris.csv:  150 rows, four measurements (cm) then the species as text.
# data/iris2.csv: the 100 versicolor and virginica rows, for binary
#                 cross-entropy (setosa is separable by a line, the other two
#                 are not, so the two-class problem is the harder one).
# No Python twin: the data come from R's datasets package; the Python side
# reads the CSVs (py/backprop/data.py, load_scaled(path, target = ...)).

# iris with snake_case names, the species as text (not a factor), last.
iris_table <- function(species = NULL) {
  table <- datasets::iris
  names(table) <- c("sepal_length", "sepal_width", "petal_length",
                    "petal_width", "species")
  table$species <- as.character(table$species)
  if (!is.null(species)) {
    unknown <- setdiff(species, unique(table$species))
    if (length(unknown) > 0) {
      stop(sprintf("species must be among setosa, versicolor, virginica; got %s",
                   paste(unknown, collapse = ", ")), call. = FALSE)
    }
    table <- table[table$species %in% species, , drop = FALSE]
  }
  rownames(table) <- NULL
  table
}

# Full precision: each number is written with the fewest significant digits
# (up to 17) that read back as the same double, so "5.1" stays "5.1".
format_exact <- function(x) {
  vapply(x, function(v) {
    for (digits in 15:17) {
      text <- formatC(v, digits = digits, format = "g")
      if (as.numeric(text) == v) {
        return(trimws(text))
      }
    }
    stop(sprintf("cannot write %s exactly", v), call. = FALSE)
  }, character(1))
}

write_iris <- function(table, path) {
  out <- table
  numeric_columns <- vapply(out, is.numeric, logical(1))
  out[numeric_columns] <- lapply(out[numeric_columns], format_exact)
  utils::write.csv(out, path, row.names = FALSE, quote = FALSE)
  back <- utils::read.csv(path, stringsAsFactors = FALSE)
  if (!identical(unname(as.list(back)), unname(as.list(table)))) {
    stop(sprintf("%s does not read back as the data written", path), call. = FALSE)
  }
  invisible(path)
}

make_iris <- function(dir = "data") {
  if (!dir.exists(dir)) {
    stop(sprintf("dir must be an existing directory; got '%s'", dir), call. = FALSE)
  }
  write_iris(iris_table(), file.path(dir, "iris.csv"))
  write_iris(iris_table(c("versicolor", "virginica")), file.path(dir, "iris2.csv"))
}

if (sys.nframe() == 0) {  # run as a script, not sourced
  make_iris("data")
}
