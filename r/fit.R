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
# lecture's: one hidden layer, one output column, a seed (not NULL, R's stream
# as it stands), and train_network()'s default for every setting but hidden,
# seed, iterations and step; else "train_network". Where both apply they give
# the same numbers, bit for bit.
choose_trainer <- function(Y, ..., start = NULL) {
  s <- network_settings(...)
  defaults <- network_defaults()
  model <- setdiff(names(defaults), names(formals(train)))
  same <- vapply(model, function(name) identical(s[[name]], defaults[[name]]),
                 logical(1))
  if (length(s$hidden) == 1 && NCOL(Y) == 1 && !is.null(s$seed) && all(same)) {
    "train"
  } else {
    "train_network"
  }
}

# A share of the rows to hold out: a number above 0 and below 1 that leaves
# at least one test row and one training row of n_rows.
check_test_fraction <- function(test_fraction, n_rows) {
  if (!is_number(test_fraction) || test_fraction <= 0 || test_fraction >= 1) {
    stop(sprintf("test_fraction must be a number above 0 and below 1; got %s",
                 describe(test_fraction)), call. = FALSE)
  }
  n_test <- round(test_fraction * n_rows)
  if (n_test < 1 || n_test >= n_rows) {
    stop(sprintf(paste0("test_fraction %s of %d rows leaves %d test and %d ",
                        "training rows; each needs at least one"),
                 describe(test_fraction), n_rows, n_test, n_rows - n_test),
         call. = FALSE)
  }
}

# The rows held out for testing: after set.seed(seed),
# sample(n_rows, round(test_fraction * n_rows)), in R's order. R's stream goes
# on from there (to the weights).
split_rows <- function(n_rows, test_fraction, seed) {
  check_test_fraction(test_fraction, n_rows)
  check_seed(seed)
  set.seed(seed)
  sample(n_rows, round(test_fraction * n_rows))
}

# Train on X and Y with the trainer choose_trainer() picks; start, if given,
# is the starting parameters (see train_network()). With test_fraction, the
# rows split_rows() draws are held out: the network trains on the others, its
# weights drawn from R's stream after the split, and the result adds
# test_rows and test_cost (the trained network's cost on them). With
# restarts, train_restarts() (start is then its `starts`). progress is the
# trainer's (see train()).
fit <- function(X, Y, ..., test_fraction = NULL, restarts = NULL,
                start = NULL, progress = NULL) {
  if (!is.null(restarts)) {
    return(train_restarts(X, Y, restarts, ..., test_fraction = test_fraction,
                          starts = start, progress = progress))
  }
  if (!is.null(test_fraction)) {
    test_rows <- split_rows(nrow(X), test_fraction, network_settings(...)$seed)
    train_rows <- setdiff(seq_len(nrow(X)), test_rows)
    settings <- list(...)
    settings["seed"] <- list(NULL)  # R's stream as it stands ($seed <- NULL drops it)
    result <- do.call(fit, c(list(X[train_rows, , drop = FALSE],
                                  Y[train_rows, , drop = FALSE]),
                             settings, list(start = start, progress = progress)))
    tested <- evaluate_network(result, X[test_rows, , drop = FALSE],
                               Y[test_rows, , drop = FALSE], ...)
    return(c(result, list(test_rows = test_rows, test_cost = tested$cost)))
  }
  if (choose_trainer(Y, ...) == "train") {
    given <- list(...)
    lecture <- given[intersect(names(given), names(formals(train)))]
    return(do.call(train, c(list(X, Y), lecture,
                            list(start = start, progress = progress))))
  }
  train_network(X, Y, ..., start = start, progress = progress)
}

# How many restarts: a whole number >= 1, of trainings of at least one
# iteration (the best is the one with the lowest last cost), by an update
# rule (not BFGS).
check_restarts <- function(restarts, ...) {
  check_count("restarts", restarts, 1)
  s <- network_settings(...)
  if (s$optimizer == "bfgs") {
    stop("restarts cannot be combined with optimizer 'bfgs' (yet)", call. = FALSE)
  }
  check_count("iterations", s$iterations, 1)
}

# "Gradient descent can often get stuck in flat-ish regions, so we may need to
# try different starting locations": `restarts` trainings from as many
# starting points of one stream. set.seed(seed) once; restart k draws its
# starting parameters (init_network()) after restart k - 1's, so restart 1 is
# the single run with that seed; each is trained by fit(), for the same
# iterations and step, one after another (Python trains them together). With
# test_fraction the split is the single run's, drawn first, and the starting
# points follow it; with mini-batches each restart's fit() sets the seed
# again, so all hold out the same rows and draw the single run's shuffles:
# the restarts differ only in where they start. The result is the best
# restart's (the lowest last training cost, the first of ties), then
# best (its number), cost_histories (iterations x restarts) and, for each
# parameter P, P_starts: every restart's starting P (restarts x n_in x n_out).
# `starts`, if given, replaces the draws: such arrays, named P. progress is
# each restart's trainer's, restart after restart.
train_restarts <- function(X, Y, restarts = 10, ..., test_fraction = NULL,
                           starts = NULL, progress = NULL) {
  check_restarts(restarts, ...)
  s <- network_settings(...)
  check_network_data(X, Y)
  check_seed(s$seed)
  sizes <- c(ncol(X), s$hidden, ncol(Y))
  set.seed(s$seed)
  if (!is.null(test_fraction)) {
    split_rows(nrow(X), test_fraction, s$seed)  # the weights come after it
  }
  drawn <- lapply(seq_len(restarts), function(k) {
    init_network(sizes, s$init, NULL, s$bias)
  })
  if (!is.null(starts)) {
    drawn <- lapply(seq_len(restarts), function(k) {
      lapply(starts, function(P) matrix(P[k, , ], dim(P)[2], dim(P)[3]))
    })
  }
  results <- vector("list", restarts)
  for (k in seq_len(restarts)) {
    results[[k]] <- tryCatch(
      fit(X, Y, ..., test_fraction = test_fraction, start = drawn[[k]],
          progress = progress),
      error = function(e) {
        stop(sprintf("restart %d: %s", k, conditionMessage(e)), call. = FALSE)
      })
  }
  cost_histories <- vapply(results, function(r) r$cost_history,
                           numeric(s$iterations))
  best <- which.min(cost_histories[s$iterations, ])
  stacked <- lapply(names(drawn[[1]]), function(name) {
    P <- array(0, c(restarts, dim(drawn[[1]][[name]])))
    for (k in seq_len(restarts)) P[k, , ] <- drawn[[k]][[name]]
    P
  })
  c(results[[best]], list(best = best, cost_histories = cost_histories),
    stats::setNames(stacked, paste0(names(drawn[[1]]), "_starts")))
}

# The class of each row of Y_hat (or of a one-hot or 0/1 Y), as an index into
# the classes: the column of the largest value, the first of ties; for one
# column, 2 above 0.5, else 1.
predicted_class <- function(Y_hat) {
  if (ncol(Y_hat) == 1) {
    ifelse(Y_hat[, 1] > 0.5, 2L, 1L)
  } else {
    max.col(Y_hat, ties.method = "first")
  }
}

# How the trained network classifies the training rows and, after a split,
# the test rows: accuracy (the share right) and R's
# table(predicted, actual), every class in the order of `classes`.
class_report <- function(result, X, Y, classes, ...) {
  test_rows <- result$test_rows
  parts <- list(train = setdiff(seq_len(nrow(X)), test_rows))
  if (!is.null(test_rows)) parts$test <- test_rows
  report <- list(classes = classes)
  for (part in names(parts)) {
    rows <- parts[[part]]
    Y_hat <- evaluate_network(result, X[rows, , drop = FALSE],
                              Y[rows, , drop = FALSE], ...)$Y_hat
    predicted <- predicted_class(Y_hat)
    actual <- predicted_class(Y[rows, , drop = FALSE])
    report[[paste0(part, "_accuracy")]] <- sum(predicted == actual) / length(rows)
    report[[paste0(part, "_confusion")]] <- table(
      predicted = factor(classes[predicted], levels = classes),
      actual = factor(classes[actual], levels = classes))
  }
  report
}

# nnet's output units: "logistic" (its default), or linout, entropy or softmax.
nnet_outputs <- c("logistic", "linout", "entropy", "softmax")

# nnet's weight vector (by destination unit, bias first: b->h1, x1->h1, ...,
# b->o1, h1->o1, ...) as the lecture's W_1 (D x H), B_1 (1 x H), W_2 (H x K)
# and B_2 (1 x K), so that a reader can set them beside train_network()'s.
nnet_matrices <- function(wts, D, H, K) {
  hidden <- matrix(wts[seq_len((D + 1) * H)], nrow = D + 1)  # column h
  output <- matrix(wts[(D + 1) * H + seq_len((H + 1) * K)], nrow = H + 1)
  list(W_1 = hidden[-1, , drop = FALSE], B_1 = hidden[1, , drop = FALSE],
       W_2 = output[-1, , drop = FALSE], B_2 = output[1, , drop = FALSE])
}

# R's own nnet::nnet on X and Y, as its users call it: set.seed(seed), then
# nnet(X, Y, size, ...), the starting weights runif(nwts, -rang, rang) (drawn
# here, as nnet would draw them, so that they can be returned), or Wts. The
# fit: wts (nnet's order), value, fitted_values, convergence, wts_init, and
# the weights as nnet_matrices(). trace prints nnet's own lines.
fit_nnet <- function(X, Y, size = 3, seed = 1, rang = 0.7, decay = 0,
                     maxit = 100, output = "logistic", Wts = NULL,
                     trace = FALSE) {
  check_name("output", output, nnet_outputs)
  check_count("size", size, 0)
  check_seed(seed)
  check_nonnegative("rang", rang)
  check_nonnegative("decay", decay)
  check_count("maxit", maxit, 0)
  set.seed(seed)
  nwts <- (ncol(X) + 1) * size + (size + 1) * ncol(Y)
  wts_init <- if (!is.null(Wts)) {
    Wts
  } else if (rang > 0) {
    stats::runif(nwts, -rang, rang)
  } else {
    rep(0, nwts)
  }
  fit <- nnet::nnet(X, Y, size = size, Wts = wts_init, decay = decay,
                    maxit = maxit, linout = output == "linout",
                    entropy = output == "entropy",
                    softmax = output == "softmax", trace = trace)
  c(list(wts = fit$wts, value = fit$value,
         fitted_values = unname(fit$fitted.values),
         convergence = fit$convergence, wts_init = wts_init),
    nnet_matrices(fit$wts, ncol(X), size, ncol(Y)))
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

# A held-out cost that is not a finite number stops the run, in one line.
# Training never saw those rows, so its own checks cannot catch them: a target
# there far out of the training rows' range (1e200 among scores) makes their
# cost overflow.
check_held_out_cost <- function(result) {
  if (!is.null(result$test_cost) && !is.finite(result$test_cost)) {
    stop(sprintf(paste0("the held-out cost is %s: the trained network's predictions ",
                        "on the held-out rows are too far from their targets for a ",
                        "double (a target or a feature there is far out of the ",
                        "training rows' range)"), result$test_cost), call. = FALSE)
  }
  invisible(NULL)
}

# The CSV at path read in R (load_file()), then fit(): list(X, Y, result),
# where result is what fit() returns and, for a class target, class_report().
fit_file <- function(path, target = "auto", ..., test_fraction = NULL,
                     restarts = NULL, start = NULL, progress = NULL) {
  data <- load_file(path, target, ...)
  result <- fit(data$X, data$Y, ..., test_fraction = test_fraction,
                restarts = restarts, start = start, progress = progress)
  check_held_out_cost(result)
  if (choose_target(target, ...) != "numeric") {
    result <- c(result, class_report(result, data$X, data$Y,
                                     read_classes(path), ...))
  }
  list(X = data$X, Y = data$Y, result = result)
}
