# From data and settings to a trained network: the one place that decides how
# the target column is encoded and which trainer runs. The command (`backprop
# train`), the parity harness and make_reference.R all come through here.
# Only definitions: safe to source() after the other files under r/ (it calls
# load_scaled() of data.R, train() of network.R and train_network() of
# model.R).
# Python twin: py/backprop/fit.py, same functions in the same order.
#
# The settings `...` are train_network()'s arguments (hidden, seed, ...,
# eps), by name; any not given take train_network()'s defaults.

# The target encoding load_scaled() is to use: "numeric", "onehot" or
# "binary" as asked, or, for "auto", what the network needs: one column per
# class for a softmax output or cross-entropy, 0/1 for binary cross-entropy,
# else the lecture's y / 100.
choose_target <- function(target = "auto", ...) {
  check_name("target", target, c("auto", TARGETS))
  if (target != "auto") {
    return(target)
  }
  s <- network_settings(...)
  if (s$output_activation == "softmax" || s$loss == "cross_entropy") {
    "onehot"
  } else if (s$loss == "binary_cross_entropy") {
    "binary"
  } else {
    "numeric"
  }
}

# "train", the lecture's trainer (network.R), when the network is the
# lecture's: one hidden layer, one output column, and train_network()'s
# default for every setting but hidden, seed, iterations and step; else
# "train_network". Where both apply they give the same numbers, bit for bit.
choose_trainer <- function(Y, ..., start = NULL) {
  s <- network_settings(...)
  defaults <- network_defaults()
  model <- setdiff(names(defaults), names(formals(train)))
  same <- vapply(model, function(name) identical(s[[name]], defaults[[name]]),
                 logical(1))
  if (length(s$hidden) == 1 && NCOL(Y) == 1 && all(same)) {
    "train"
  } else {
    "train_network"
  }
}

# Train on X and Y with the trainer choose_trainer() picks; start, if given,
# is the starting parameters (see train_network()).
fit <- function(X, Y, ..., start = NULL) {
  if (choose_trainer(Y, ...) == "train") {
    given <- list(...)
    lecture <- given[intersect(names(given), names(formals(train)))]
    return(do.call(train, c(list(X, Y), lecture, list(start = start))))
  }
  train_network(X, Y, ..., start = start)
}

# Binary cross-entropy chose the 0/1 encoding by itself: numbers other than 0
# and 1 in the target column are probabilities or scores, not two class
# labels, and are not silently relabelled (--target binary asks for that).
check_binary_labels <- function(path) {
  classes <- read_classes(path)
  numbers <- parse_numbers(classes)
  if (!anyNA(numbers) && !all(classes %in% c("0", "1"))) {
    stop(sprintf(paste0("%s: the target column holds numbers (%s), not two class ",
                        "labels; binary cross-entropy would relabel them 0 and 1: ",
                        "ask for that with the target encoding 'binary'"),
                 path, describe_classes(classes)), call. = FALSE)
  }
}

# The CSV at path read, its target encoded as choose_target() says, and
# scaled: load_scaled()'s list(X, Y), for training or the gradient check.
load_file <- function(path, target = "auto", ...) {
  encoding <- choose_target(target, ...)
  if (target == "auto" && encoding == "binary") {
    check_binary_labels(path)
  }
  load_scaled(path, encoding)
}

# The CSV at path read in R (load_file()), then fit(): list(X, Y, result),
# where result is what the trainer returns.
fit_file <- function(path, target = "auto", ..., start = NULL) {
  data <- load_file(path, target, ...)
  list(X = data$X, Y = data$Y,
       result = fit(data$X, data$Y, ..., start = start))
}
