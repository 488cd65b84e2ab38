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

#' Train a network, with the trainer chosen for it
#'
#' From data and settings to a trained network: the one place that picks the
#' trainer. The lecture's network (one hidden layer, one output column, a
#' seed, and [train_network()]'s default for every setting but `hidden`,
#' `seed`, `iterations` and `step`) is trained by the slides' [train()]; any
#' other by [train_network()]. Where both apply they give the same numbers,
#' bit for bit. The command `backprop train`, the parity harness and the
#' frozen reference all come through here (by [fit_file()]).
#'
#' With `test_fraction`, the rows `sample(N, round(test_fraction * N))` drawn
#' after `set.seed(seed)` are held out: the network trains on the other rows,
#' its starting weights drawn from R's stream after the split, and is then
#' tested on them. With `restarts`, [train_restarts()] trains from as many
#' starting points and returns the best.
#'
#' @param X The (N, D) matrix of scaled inputs.
#' @param Y The (N, K) matrix of targets: scaled scores (K = 1), 0/1, or one
#'   column per class.
#' @param ... Settings of the network, by name: [train_network()]'s
#'   arguments (`hidden`, `seed`, `iterations`, `step`, `activation`, `loss`,
#'   ..., `eps`); any not given take [train_network()]'s defaults (see
#'   [network_defaults()]).
#' @param test_fraction `NULL` (the default: train on every row), or a number
#'   above 0 and below 1: the share of rows held out for testing (at least one
#'   test row and one training row).
#' @param restarts `NULL` (the default: one training), or a whole number >= 1
#'   of starting points for [train_restarts()].
#' @param start `NULL` (the default: draw the starting parameters), or the
#'   starting parameters as [train_network()] takes them
#'   (`list(W_1 = ..., B_1 = ...)`); with `restarts`, [train_restarts()]'s
#'   `starts`.
#' @param progress `NULL`, or the trainer's `progress(i, cost)` (see
#'   [train()]).
#' @param updated `NULL`, or [train_network()]'s `updated(t)`, called after
#'   each update (the lecture's [train()] makes one an iteration: it is called
#'   as `progress` is).
#' @return The named list of the trainer that ran: [train()]'s (`W_1`, `W_2`,
#'   `Y_hat`, `cost_history`, `W_1_init`, `W_2_init`) or [train_network()]'s
#'   (`W_1` .. `W_L`, `B_1` .. `B_L` with bias, `Y_hat`, `cost_history`,
#'   the `_init` parameters; `batch_order` with `batch_size`, `counts` and
#'   `convergence` with BFGS); with
#'   `test_fraction` it adds `test_rows` (the held-out row numbers, 1-based,
#'   in R's order; `Y_hat` is then of the N - length(test_rows) training rows)
#'   and `test_cost` (the trained network's cost on them); with `restarts`,
#'   [train_restarts()]'s list.
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))   # sleep, study
#' Y <- scale_target(matrix(c(75, 82, 93), 3))            # scores
#' fit(X, Y, iterations = 1000)$W_1                    # by train()
#' fit(X, Y, iterations = 1000, bias = TRUE)$B_1       # by train_network()
#' fit(X, Y, iterations = 100, restarts = 3)$best
fit <- function(X, Y, ..., test_fraction = NULL, restarts = NULL,
                start = NULL, progress = NULL, updated = NULL) {
  if (!is.null(restarts)) {
    return(train_restarts(X, Y, restarts, ..., test_fraction = test_fraction,
                          starts = start, progress = progress,
                          updated = updated))
  }
  if (!is.null(test_fraction)) {
    test_rows <- split_rows(nrow(X), test_fraction, network_settings(...)$seed)
    train_rows <- setdiff(seq_len(nrow(X)), test_rows)
    settings <- list(...)
    settings["seed"] <- list(NULL)  # R's stream as it stands ($seed <- NULL drops it)
    result <- do.call(fit, c(list(X[train_rows, , drop = FALSE],
                                  Y[train_rows, , drop = FALSE]),
                             settings, list(start = start, progress = progress,
                                            updated = updated)))
    tested <- evaluate_network(result, X[test_rows, , drop = FALSE],
                               Y[test_rows, , drop = FALSE], ...)
    return(c(result, list(test_rows = test_rows, test_cost = tested$cost)))
  }
  if (choose_trainer(Y, ...) == "train") {
    given <- list(...)
    lecture <- given[intersect(names(given), names(formals(train)))]
    both <- if (is.null(updated)) progress else function(i, cost) {
      if (!is.null(progress)) progress(i, cost)
      updated(i)  # train() makes the i-th update right after
    }
    return(do.call(train, c(list(X, Y), lecture,
                            list(start = start, progress = both))))
  }
  train_network(X, Y, ..., start = start, progress = progress,
                updated = updated)
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

#' Train from several starting locations and keep the best
#'
#' "Gradient descent can often get stuck in flat-ish regions, so we may need
#' to try different starting locations": `restarts` trainings from as many
#' starting points of one stream. `set.seed(seed)` once; restart k draws its
#' starting parameters ([init_network()]) after restart k - 1's, so restart 1
#' is the single run with that seed; each is trained by [fit()], for the same
#' iterations and step, one after another (the Python twin trains them
#' together). With `test_fraction` the split is the single run's, drawn
#' first, and the starting points follow it; with mini-batches each
#' restart's [fit()] sets the seed again, so all hold out the same rows and
#' draw the single run's shuffles: the restarts differ only in where they
#' start. The best restart is the one with the lowest last training cost
#' (the first of ties). BFGS (`optimizer = "bfgs"`) is refused.
#'
#' @param X The (N, D) matrix of scaled inputs.
#' @param Y The (N, K) matrix of targets.
#' @param restarts The number of trainings, a whole number >= 1 (default 10).
#' @param ... Settings of the network, by name: [train_network()]'s
#'   arguments (`hidden`, `seed`, `iterations`, `step`, `activation`, `loss`,
#'   ..., `eps`); any not given take [train_network()]'s defaults (see
#'   [network_defaults()]). `iterations` must be at least 1.
#' @param test_fraction `NULL` (the default), or the share of rows to hold
#'   out, as [fit()] takes it.
#' @param starts `NULL` (the default: draw them), or the starting points: a
#'   named list of arrays `W_1`, ... (and `B_1`, ... with bias), each
#'   (restarts, n_in, n_out), as the `_starts` elements of the result.
#' @param progress `NULL`, or each restart's trainer's `progress(i, cost)`,
#'   restart after restart.
#' @param updated `NULL`, or each restart's trainer's `updated(t)` (see
#'   [fit()]), restart after restart.
#' @return The best restart's result (as [fit()] returns it), then:
#'   * `best`: its number, from 1 to `restarts`;
#'   * `cost_histories`: the (iterations, restarts) matrix of every restart's
#'     cost history;
#'   * for each parameter P (`W_1`, ..., `B_1`, ...), `P_starts`: every
#'     restart's starting P, an array (restarts, n_in, n_out).
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))   # sleep, study
#' Y <- scale_target(matrix(c(75, 82, 93), 3))            # scores
#' runs <- train_restarts(X, Y, restarts = 5, iterations = 200)
#' runs$best
#' runs$cost_histories[200, ]
#' dim(runs$W_1_starts)
train_restarts <- function(X, Y, restarts = 10, ..., test_fraction = NULL,
                           starts = NULL, progress = NULL, updated = NULL) {
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
          progress = progress, updated = updated),
      error = function(e) {
        stop(sprintf("restart %d: %s", k, conditionMessage(e)), call. = FALSE)
      })
  }
  cost_histories <- matrix(vapply(results, function(r) r$cost_history,  # (iterations, K),
                                  numeric(s$iterations)),             # one row too
                           nrow = s$iterations)
  best <- which.min(cost_histories[s$iterations, ])
  stacked <- lapply(names(drawn[[1]]), function(name) {
    P <- array(0, c(restarts, dim(drawn[[1]][[name]])))
    for (k in seq_len(restarts)) P[k, , ] <- drawn[[k]][[name]]
    P
  })
  c(results[[best]], list(best = best, cost_histories = cost_histories),
    stats::setNames(stacked, paste0(names(drawn[[1]]), "_starts")))
}

#' The class each row predicts
#'
#' The class of each row of `Y_hat` (or of a one-hot or 0/1 `Y`), as an index
#' into the classes: the column of the largest value, the first of ties; for
#' one column, 2 above 0.5, else 1.
#'
#' @param Y_hat An (N, K) matrix of predictions (or targets): K >= 2 columns,
#'   one per class, or one column of probabilities of the second class.
#' @return An integer vector of length N, each from 1 to max(K, 2).
#' @export
#' @examples
#' predicted_class(matrix(c(0.2, 0.7, 0.5), 3))
#' predicted_class(matrix(c(0.1, 0.6, 0.3, 0.3, 0.3, 0.2), 2, byrow = TRUE))
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

# fit_nnet()'s checks of its arguments (R's nnet checks the data and the rest
# itself, when it runs).
check_fit_nnet <- function(X, Y, size, seed, rang, decay, maxit, output) {
  check_name("output", output, nnet_outputs)
  check_count("size", size, 0)
  check_seed(seed)
  check_nonnegative("rang", rang)
  check_nonnegative("decay", decay)
  check_count("maxit", maxit, 0)
}

#' Fit R's own nnet to the same data
#'
#' `nnet::nnet()` on `X` and `Y`, as its users call it: `set.seed(seed)`, then
#' `nnet(X, Y, size, ...)`, from the starting weights
#' `runif(nwts, -rang, rang)` (drawn here, as `nnet` would draw them, so that
#' they can be returned) or `Wts`. Unlike the lecture's network, `nnet` has a
#' bias on every unit and trains by BFGS.
#'
#' @param X The (N, D) matrix of scaled inputs.
#' @param Y The (N, K) matrix of targets.
#' @param size H, the number of hidden units (default 3).
#' @param seed The seed set before the starting weights are drawn (default 1).
#' @param rang The starting weights are drawn from (-rang, rang) (default 0.7,
#'   `nnet`'s; 0: every weight starts at 0).
#' @param decay Weight decay, >= 0 (default 0).
#' @param maxit The maximum number of BFGS iterations (default 100, `nnet`'s).
#' @param output The output units: `"logistic"` (the default, `nnet`'s),
#'   `"linout"`, `"entropy"` or `"softmax"`.
#' @param Wts `NULL` (the default: draw them), or the starting weight vector
#'   of length (D + 1) H + (H + 1) K, in `nnet`'s order.
#' @param trace `TRUE` prints `nnet`'s own lines; `FALSE` (the default) does
#'   not.
#' @return A named list:
#'   * `wts`: the trained weight vector, in `nnet`'s order (by destination
#'     unit, bias first: b->h1, x1->h1, ..., b->o1, h1->o1, ...);
#'   * `value`: the final value of `nnet`'s fitting criterion;
#'   * `fitted_values`: the (N, K) fitted values, without names;
#'   * `convergence`: 0 when `nnet` converged, 1 when it reached `maxit`;
#'   * `wts_init`: the starting weight vector;
#'   * `W_1` (D, H), `B_1` (1, H), `W_2` (H, K), `B_2` (1, K): `wts` as the
#'     lecture's matrices, to set beside [train_network()]'s;
#'   * `nnet`: the fit itself, `nnet`'s object, for `predict(net$nnet, newdata)`.
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))   # sleep, study
#' Y <- scale_target(matrix(c(75, 82, 93), 3))            # scores
#' net <- fit_nnet(X, Y, size = 3, maxit = 50)
#' net$W_1
#' net$fitted_values
#' predict(net$nnet, X)                                   # the same, from the fit
fit_nnet <- function(X, Y, size = 3, seed = 1, rang = 0.7, decay = 0,
                     maxit = 100, output = "logistic", Wts = NULL,
                     trace = FALSE) {
  check_fit_nnet(X, Y, size, seed, rang, decay, maxit, output)
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
    nnet_matrices(fit$wts, ncol(X), size, ncol(Y)), list(nnet = fit))
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

#' Read a CSV of data and scale it for the network
#'
#' The CSV at `path` (a header line; the features, then the target in the
#' last column) read with clear errors, its target encoded as the settings
#' need, and scaled: the features by each column's maximum, a numeric target
#' divided by 100 (the lecture's scores). For `target = "auto"` the encoding
#' is what the network needs: one column per class for a softmax output or
#' cross-entropy, 0/1 for binary cross-entropy (refused when the target
#' column holds numbers other than 0 and 1: ask for `"binary"` by hand), else
#' the lecture's y / 100.
#'
#' @param path The path of a CSV file, UTF-8.
#' @param target The target encoding: `"auto"` (the default), `"numeric"`,
#'   `"onehot"` or `"binary"`; classes are ordered as
#'   `sort(method = "radix")` orders them.
#' @param ... Settings of the network, by name: [train_network()]'s
#'   arguments (`hidden`, `seed`, `iterations`, `step`, `activation`, `loss`,
#'   ..., `eps`); any not given take [train_network()]'s defaults (see
#'   [network_defaults()]). Only those that choose the encoding matter.
#' @return A named list:
#'   * `X`: the (N, D) matrix of scaled features;
#'   * `Y`: the target, (N, 1) for `"numeric"` and `"binary"`, (N, K) for
#'     `"onehot"` (K classes).
#' @export
#' @examples
#' data <- load_file(system.file("extdata", "lecture.csv", package = "backprop"))
#' data$X
#' data$Y
#' iris <- load_file(system.file("extdata", "iris.csv", package = "backprop"), "onehot")
#' dim(iris$Y)
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

#' Read a CSV and train on it
#'
#' [load_file()], then [fit()]: every run of the command `backprop train`
#' comes through here. A held-out cost that is not finite stops with one
#' line. For a class target (any encoding but `"numeric"`), the result adds
#' how the trained network classifies the training rows and, after a split,
#' the test rows.
#'
#' @inheritParams load_file
#' @inheritParams fit
#' @return A fit, an object of class `backprop_fit` (a named list), with
#'   `predict()`, [evaluate()], `print()` and `summary()` methods:
#'   * `X`: the (N, D) matrix of scaled features (every row, held-out too);
#'   * `Y`: the (N, 1) or (N, K) target;
#'   * `result`: what [fit()] returns; for a class target it adds `classes`
#'     (the class names, in order), `train_accuracy` (the share of training
#'     rows classified right), `train_confusion` (R's
#'     `table(predicted, actual)`, every class in order) and, after a split,
#'     `test_accuracy` and `test_confusion`;
#'   * `spec`: every setting ([network_spec()]);
#'   * `params`: the final `W_1` .. and `B_1` .. (with bias);
#'   * `cost_history`: the cost before each iteration;
#'   * `scale`: each feature's maximum in the file, by which new rows are
#'     scaled ([scale_rows()]);
#'   * `target`: the target's encoding;
#'   * `classes`: the class names, or `NULL` for a numeric target.
#' @export
#' @examples
#' fit <- fit_file(system.file("extdata", "lecture.csv", package = "backprop"),
#'                 iterations = 1000)
#' fit
#' predict(fit, matrix(c(3, 5, 5, 1), 2, byrow = TRUE))   # sleep, study
fit_file <- function(path, target = "auto", ..., test_fraction = NULL,
                     restarts = NULL, start = NULL, progress = NULL,
                     updated = NULL) {
  data <- load_file(path, target, ...)
  result <- fit(data$X, data$Y, ..., test_fraction = test_fraction,
                restarts = restarts, start = start, progress = progress,
                updated = updated)
  check_held_out_cost(result)
  encoding <- choose_target(target, ...)
  classes <- NULL
  if (encoding != "numeric") {
    classes <- read_classes(path)
    result <- c(result, class_report(result, data$X, data$Y, classes, ...))
  }
  structure(list(X = data$X, Y = data$Y, result = result,
                 spec = network_spec(...),
                 params = result[grepl("^[WB]_[0-9]+$", names(result))],
                 cost_history = result$cost_history,
                 scale = feature_maxima(path, encoding),
                 target = encoding, classes = classes),
            class = "backprop_fit")
}

# The maximum of each feature column of the CSV at `path`: what load_scaled
# divides the features by (scale_features), kept so new rows can be scaled
# alike.
feature_maxima <- function(path, target) {
  x <- if (target == "numeric") read_data(path)$x else read_labeled(path)$x
  apply(x, 2, max)
}

#' Predict with a trained network
#'
#' The network's outputs for new rows, on its final parameters: the rows as
#' they stand in the file (scaled here as the file was, by [scale_rows()]).
#'
#' @param object A fit, [fit_file()]'s answer.
#' @param newdata The feature rows: a numeric matrix (or data frame) with
#'   the file's D feature columns; one row may be a vector.
#' @param type `"raw"` (the default): the (M, K) outputs; `"class"`: each
#'   row's class name ([predicted_class()]), for a class target.
#' @param ... Not used.
#' @return The (M, K) matrix of outputs, or a character vector of classes.
#' @export
#' @examples
#' fit <- fit_file(system.file("extdata", "lecture.csv", package = "backprop"),
#'                 iterations = 1000)
#' predict(fit, c(4, 3))
predict.backprop_fit <- function(object, newdata, type = "raw", ...) {
  check_name("type", type, c("raw", "class"))
  X <- scale_rows(newdata, object$scale)
  Y_hat <- do.call(network_output, c(list(object$params, X), object$spec))
  if (type == "raw") {
    return(Y_hat)
  }
  if (is.null(object$classes)) {
    stop('type "class" needs a class target; this network has a numeric one',
         call. = FALSE)
  }
  object$classes[predicted_class(Y_hat)]
}

#' How well a trained network does on rows
#'
#' A fit's cost on rows and their targets and, for a class target, its
#' accuracy and confusion table.
#'
#' @param object A fit, [fit_file()]'s answer.
#' @param ... `rows` (as [predict.backprop_fit()] takes them) and `targets`
#'   (as the file's target column holds them: scores, or class names).
#' @return A named list: `cost`; for a class target also `accuracy` (the
#'   share right) and `confusion` (`table(predicted, actual)`).
#' @export
#' @examples
#' fit <- fit_file(system.file("extdata", "lecture.csv", package = "backprop"),
#'                 iterations = 1000)
#' evaluate(fit, matrix(c(3, 5, 5, 1), 2, byrow = TRUE), c(75, 82))
evaluate <- function(object, ...) {
  UseMethod("evaluate")
}

#' @rdname evaluate
#' @param rows The feature rows.
#' @param targets Their targets.
#' @export
evaluate.backprop_fit <- function(object, rows, targets, ...) {
  X <- scale_rows(rows, object$scale)
  Y <- encode_targets(targets, object$target, object$classes)
  tested <- do.call(evaluate_network, c(list(object$params, X, Y), object$spec))
  answer <- list(cost = tested$cost)
  if (!is.null(object$classes)) {
    predicted <- predicted_class(tested$Y_hat)
    actual <- predicted_class(Y)
    answer$accuracy <- sum(predicted == actual) / length(actual)
    answer$confusion <- table(
      predicted = factor(object$classes[predicted], levels = object$classes),
      actual = factor(object$classes[actual], levels = object$classes))
  }
  answer
}

#' @export
print.backprop_fit <- function(x, ...) {
  cat(fit_text(x$spec, x$params, x$result, nrow(x$X), x$classes), "\n", sep = "")
  invisible(x)
}

#' @export
summary.backprop_fit <- function(object, ...) {
  structure(list(fit = object), class = "summary.backprop_fit")
}

#' @export
print.summary.backprop_fit <- function(x, ...) {
  print(x$fit)
  for (name in names(x$fit$params)) {
    cat("\n$", name, "\n", sep = "")
    print(x$fit$params[[name]])
  }
  invisible(x)
}

#' Scale new feature rows as a file's were
#'
#' Feature rows as a file holds them, each column divided by `scale`, the
#' file's column maxima, as [scale_features()] divided the file's.
#'
#' @param rows A numeric matrix or data frame of feature rows; one row may be
#'   a vector.
#' @param scale The file's column maxima (a fit's `scale`).
#' @return The (M, D) matrix of scaled rows.
#' @export
#' @examples
#' scale_rows(matrix(c(3, 5, 5, 1), 2, byrow = TRUE), c(10, 5))
scale_rows <- function(rows, scale) {
  X <- if (is.data.frame(rows)) as.matrix(rows) else rows
  if (is.numeric(X) && is.null(dim(X))) X <- matrix(X, nrow = 1)
  if (!is_numeric_matrix(X) || ncol(X) != length(scale) || nrow(X) < 1) {
    stop(sprintf("rows must be a numeric matrix with %d columns (the features); got %s",
                 length(scale), describe(rows)), call. = FALSE)
  }
  if (!all(is.finite(X))) {
    stop("rows must hold only finite numbers", call. = FALSE)
  }
  t(t(X) / scale)
}

# Targets as a file's target column holds them (scores, or class names),
# encoded as load_scaled encodes that column (`target`; `classes` in order).
encode_targets <- function(targets, target, classes) {
  if (is.null(classes)) {
    if (!is.numeric(targets) || !all(is.finite(targets))) {
      stop(sprintf("targets must be numbers (scores); got %s", describe(targets)),
           call. = FALSE)
    }
    return(scale_target(matrix(as.numeric(targets), ncol = 1)))
  }
  labels <- as.character(targets)
  unknown <- setdiff(labels, classes)
  if (length(unknown) > 0) {
    stop(sprintf("targets must be class names of the file (%s); got %s",
                 describe_classes(classes), describe(unknown[1])), call. = FALSE)
  }
  encode <- if (target == "onehot") encode_onehot else encode_binary
  encode(labels, classes)
}

# A fit in a few lines (R's print() of a backprop_fit): the network, how it
# was trained, its final cost and what the run added. Numbers as C's %.7g.
fit_text <- function(spec, params, result, n_rows, classes) {
  is_W <- startsWith(names(params), "W")
  sizes <- c(nrow(params$W_1), vapply(params[is_W], ncol, 1L))
  weights <- sum(lengths(params[is_W]))
  biases <- sum(lengths(params[!is_W]))
  lines <- c(
    paste0(sprintf("a %s network with %d weights", paste(sizes, collapse = "-"), weights),
           if (biases > 0) sprintf(" and %d biases", biases)),
    sprintf("%s hidden units, %s output, loss %s, starting weights %s",
            spec$activation, spec$output_activation, spec$loss, spec$init))
  test_rows <- result$test_rows
  trained <- n_rows - length(test_rows)
  costs <- result$cost_history
  how <- sprintf("trained on %d rows by %s", trained, spec$optimizer)
  if (spec$optimizer == "bfgs") {
    done <- if (result$convergence == 0) "converged" else "maxit reached"
    how <- paste0(how, sprintf(": %d evaluations of the cost (%s)", length(costs), done))
  } else {
    how <- paste0(how, sprintf(" (step %.7g): %d iterations", spec$step, length(costs)))
    if (!is.null(spec$batch_size)) {
      how <- paste0(how, sprintf(" of batches of %d", as.integer(spec$batch_size)))
    }
  }
  if (spec$decay != 0) how <- paste0(how, sprintf(", weight decay %.7g", spec$decay))
  lines <- c(lines, how)
  final <- if (length(costs) > 0) sprintf("final cost %.7g", costs[length(costs)]) else "no iterations"
  if (!is.null(result$cost_histories)) {
    final <- paste0(final, sprintf(", the best of %d restarts (restart %d)",
                                   ncol(result$cost_histories), as.integer(result$best)))
  }
  lines <- c(lines, final)
  if (!is.null(test_rows)) {
    lines <- c(lines, sprintf("held out %d rows: their cost %.7g", length(test_rows),
                              result$test_cost))
  }
  if (!is.null(classes)) {
    accuracy <- sprintf("accuracy %.7g (training rows)", result$train_accuracy)
    if (!is.null(result$test_accuracy)) {
      accuracy <- paste0(accuracy, sprintf(", %.7g (held-out rows)", result$test_accuracy))
    }
    lines <- c(lines, sprintf("classes %s; %s", paste(classes, collapse = ", "), accuracy))
  }
  paste(lines, collapse = "\n")
}
