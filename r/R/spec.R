# Every setting of the general network in one table, and a network's settings
# checked. Python twin: py/backprop/spec.py, same functions in the same order.
#
# `settings_table` is the one home of each setting's default, kind and
# meaning: train_network() takes its defaults from here, the parity cases fill
# what a row of cases.csv leaves empty from it, and network_spec() checks a
# network's settings once, before any data is read or any weight drawn. Checks
# that need the data (a batch no larger than the rows, targets a loss can take)
# are train_network()'s. The kinds are those of spec.py's notes.

# Activations with a derivative (step has none), and softmax, for the output
# alone. (The registries' files come first in the package's collation.)
hidden_activations <- names(Filter(function(entry) !is.null(entry$prime), activations))
output_activations <- intersect(names(activations), c(hidden_activations, "softmax"))

# One setting a row: its default, its kind, what it means, whether it shapes
# the network itself (the command `check` takes it too) and, for kind
# "choice", the names it may take.
settings_table <- list(
  hidden = list(default = 3, kind = "sizes", network = TRUE,
                help = "units per hidden layer: 3, or 4,3"),
  seed = list(default = 1, kind = "seed", network = TRUE,
              help = "R's set.seed, before the weights are drawn"),
  iterations = list(default = 10000, kind = "count",
                    help = "gradient steps (epochs, with a batch size)"),
  step = list(default = 5, kind = "positive", help = "step size"),
  batch_size = list(default = NULL, kind = "batch", help = paste(
    "mini-batches of this many rows, reshuffled each epoch (None: all rows at once)")),
  decay = list(default = 0, kind = "nonnegative", network = TRUE,
               help = "weight decay: (decay/2) sum W^2"),
  activation = list(default = "sigmoid", kind = "choice", network = TRUE,
                    help = "the hidden layers' activation",
                    choices = hidden_activations),
  output_activation = list(default = "sigmoid", kind = "choice", network = TRUE,
                           help = "the output layer's activation",
                           choices = output_activations),
  loss = list(default = "half_sse", kind = "choice", network = TRUE,
              help = "cost function", choices = names(losses)),
  init = list(default = "uniform", kind = "choice", network = TRUE,
              help = "starting weights", choices = names(initialisers)),
  optimizer = list(default = "gd", kind = "choice", help = paste(
    "update rule; bfgs: R's optim(method = 'BFGS'), which takes no iterations",
    "or step"), choices = names(optimisers)),
  bias = list(default = FALSE, kind = "flag", network = TRUE,
              help = "add bias rows B_1, B_2, ... (starting at 0)"),
  alpha = list(default = 0.01, kind = "positive", network = TRUE,
               help = "leaky_relu's slope below 0"),
  beta = list(default = 0.9, kind = "rate", help = "momentum's decay"),
  rho = list(default = 0.9, kind = "rate", help = "RMSprop's decay"),
  beta1 = list(default = 0.9, kind = "rate", help = "Adam's decay of the mean"),
  beta2 = list(default = 0.999, kind = "rate", help = "Adam's decay of the square"),
  eps = list(default = 1e-8, kind = "positive", help = "RMSprop's and Adam's epsilon"),
  maxit = list(default = 100, kind = "count1", help = "bfgs: the most iterations"),
  reltol = list(default = sqrt(.Machine$double.eps), kind = "nonnegative",
                help = "bfgs: relative tolerance"),
  abstol = list(default = -Inf, kind = "abstol",
                help = "bfgs: absolute tolerance (-Inf: none)")
)

bfgs_only <- c("maxit", "reltol", "abstol")   # checked only for bfgs, as optim does

check_hidden <- function(hidden) {
  if (!is.numeric(hidden) || length(hidden) < 1 || !all(is.finite(hidden)) ||
      any(hidden != round(hidden)) || any(hidden < 1)) {
    stop(sprintf(paste0("hidden must be one or more whole numbers >= 1 ",
                        "(units per hidden layer); got %s"),
                 describe(hidden)), call. = FALSE)
  }
}

# One setting's value, checked by its kind; stops with a clear message if it
# is wrong.
check_setting <- function(name, value) {
  kind <- settings_table[[name]]$kind
  if (kind == "sizes") {
    check_hidden(value)
  } else if (kind == "seed" && !is.null(value)) {   # NULL: R's stream as it stands
    check_seed(value)
  } else if (kind %in% c("count", "count1")) {
    check_count(name, value, if (kind == "count1") 1 else 0)
  } else if (kind == "batch" && !is.null(value)) {
    check_count(name, value, 1)
  } else if (kind == "positive") {
    check_positive(name, value)
  } else if (kind == "nonnegative") {
    check_nonnegative(name, value)
  } else if (kind == "rate") {
    check_rate(name, value)
  } else if (kind == "abstol" && (!is.numeric(value) || length(value) != 1 ||
                                  is.na(value) || value == Inf)) {
    stop(sprintf("%s must be a number (-Inf: none); got %s", name, describe(value)),
         call. = FALSE)
  } else if (kind == "flag" && !isTRUE(value) && !isFALSE(value)) {
    stop(sprintf("%s must be TRUE or FALSE; got %s", name, describe(value)),
         call. = FALSE)
  } else if (kind == "choice") {
    check_name(name, value, settings_table[[name]]$choices)
  }
}

#' Every setting's default
#'
#' Every setting's default, from the package's one table of settings: the
#' lecture's network (`batch_size` is `NULL`: all rows at once). The command,
#' the parity cases and the gradient check take their defaults from here.
#'
#' @return A named list, one element per setting in the table's order
#'   (`hidden` = 3, `seed` = 1, `iterations` = 10000, `step` = 5, ...).
#' @export
#' @examples
#' str(network_defaults())
network_defaults <- function() {
  lapply(settings_table, function(entry) entry$default)
}

# The settings given (a named list of settings), with the default for every
# one not given; an unknown name stops. Not checked: network_spec() checks.
network_settings <- function(...) {
  given <- list(...)
  if (length(given) > 0 && (is.null(names(given)) || any(names(given) == ""))) {
    stop("settings must be given by name, e.g. hidden = 3", call. = FALSE)
  }
  defaults <- network_defaults()
  unknown <- setdiff(names(given), names(defaults))
  if (length(unknown) > 0) {
    stop(sprintf("unknown setting '%s'; the settings are %s", unknown[1],
                 paste(names(defaults), collapse = ", ")), call. = FALSE)
  }
  utils::modifyList(defaults, given)
}

#' A network's settings, checked
#'
#' The settings given, with every other setting's default
#' ([network_defaults()]), each checked by its kind, then the rules between
#' them: softmax and step are no hidden activation, step no output
#' activation, and BFGS takes no batches (its own settings are checked only
#' for it). Checks that need the data are [train_network()]'s.
#'
#' @param ... Settings by name: `hidden`, `seed`, `iterations`, `step`,
#'   `batch_size`, `decay`, `activation`, `output_activation`, `loss`, `init`,
#'   `optimizer`, `bias`, `alpha`, `beta`, `rho`, `beta1`, `beta2`, `eps`,
#'   `maxit`, `reltol`, `abstol` (see [train_network()]).
#' @return A named list of every setting, of class `backprop_spec`.
#' @export
#' @examples
#' network_spec(hidden = c(4, 3), optimizer = "adam", step = 0.01)$hidden
network_spec <- function(...) {
  s <- network_settings(...)
  if (identical(s$activation, "softmax")) {
    stop(paste0("activation must not be 'softmax': softmax is for the output ",
                "layer only (output_activation = 'softmax')"), call. = FALSE)
  }
  for (arg in c("activation", "output_activation")) {
    if (identical(s[[arg]], "step")) {
      stop(sprintf(paste0("%s must not be 'step': the step function has no ",
                          "useful derivative (it is 0 wherever it exists), so ",
                          "nothing can be trained or gradient-checked through ",
                          "it"), arg), call. = FALSE)
    }
  }
  for (name in names(settings_table)) {
    if (!(name %in% bfgs_only) || identical(s$optimizer, "bfgs")) {
      check_setting(name, s[[name]])
    }
  }
  if (identical(s$optimizer, "bfgs") && !is.null(s$batch_size)) {
    stop("optimizer 'bfgs' takes all the rows at once: no batch_size",
         call. = FALSE)
  }
  structure(s, class = "backprop_spec")
}
