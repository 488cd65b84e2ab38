# The input checks every file shares, one home each: what counts as a number,
# a whole number, a count, a positive number, a seed and a name. Only
# definitions: safe to source(); every other file under r/ needs it first.
# Python twin: py/backprop/checks.py, same functions in the same order.
#
# Each check_*() stops with "<what> must be ...; got <value>", naming what was
# expected and what arrived; describe() writes the value.

# One finite number: a numeric vector of length one, not NA, NaN or +-Inf.
# (A logical TRUE is not numeric, as in Python a bool is not a number here.)
is_number <- function(x) {
  is.numeric(x) && length(x) == 1 && is.finite(x)
}

# A finite number without a fractional part: 3 and 3.0 alike.
is_whole <- function(n) {
  is_number(n) && n == round(n)
}

# A matrix of numbers (integer or double; not logical or text).
is_numeric_matrix <- function(x) {
  is.matrix(x) && is.numeric(x)
}

# How a value is written in an error message: R's own deparse(), so 1e-08,
# "tanh", NaN and c(4, 3) read as R code.
describe <- function(x) {
  paste(deparse(x), collapse = " ")
}

# A whole number >= minimum that fits R's integers: hidden units,
# iterations, epochs (R counts them with seq_len(), which takes no more).
check_count <- function(what, n, minimum) {
  if (!is_whole(n) || n < minimum) {
    stop(sprintf("%s must be a whole number >= %d; got %s", what, minimum,
                 describe(n)), call. = FALSE)
  }
  if (n > .Machine$integer.max) {
    stop(sprintf("%s must be at most %d (R's largest integer); got %.0f", what,
                 .Machine$integer.max, n), call. = FALSE)
  }
}

# A finite number > 0: a step, a rate, a slope, an epsilon.
check_positive <- function(what, x) {
  if (!is_number(x) || x <= 0) {
    stop(sprintf("%s must be a finite number > 0; got %s", what, describe(x)),
         call. = FALSE)
  }
}

# A finite number >= 0: a penalty's weight (0: none).
check_nonnegative <- function(what, x) {
  if (!is_number(x) || x < 0) {
    stop(sprintf("%s must be a finite number >= 0; got %s", what, describe(x)),
         call. = FALSE)
  }
}

# A number in (0, 1), ends excluded: a decay rate.
check_rate <- function(what, x) {
  if (!is_number(x) || x <= 0 || x >= 1) {
    stop(sprintf("%s must be a number in (0, 1); got %s", what, describe(x)),
         call. = FALSE)
  }
}

# What set.seed() accepts: a whole number; -2^31 is R's NA_integer_.
check_seed <- function(seed) {
  if (!is_whole(seed)) {
    stop(sprintf("seed must be a whole number; got %s", describe(seed)),
         call. = FALSE)
  }
  if (abs(seed) > .Machine$integer.max) {
    stop(sprintf("seed must be in [-%d, %d]; got %.0f", .Machine$integer.max,
                 .Machine$integer.max, seed), call. = FALSE)
  }
}

# Stop unless `name` is one of `valid`: every lookup by name (activation,
# loss, initialiser, optimiser, target encoding) goes through here.
check_name <- function(what, name, valid) {
  if (!is.character(name) || length(name) != 1 || !(name %in% valid)) {
    shown <- if (is.character(name) && length(name) == 1) {
      sprintf("'%s'", name)
    } else {
      describe(name)
    }
    stop(sprintf("%s must be one of %s; got %s", what,
                 paste0("'", valid, "'", collapse = ", "), shown),
         call. = FALSE)
  }
}
