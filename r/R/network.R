# The lecture's network (inputs -> hidden sigmoid layer -> one sigmoid output)
# as functions with parameters. Only definitions: safe to source() after
# checks.R.
# Python twin: py/backprop/network.py, same functions in the same order.

#' The sigmoid activation function
#'
#' The lecture's activation function, the sigmoid (logistic) function
#' \eqn{f(t) = 1 / (1 + e^{-t})}: it squishes values in
#' \eqn{(-\infty, +\infty)} into the range (0, 1). Applied element by element.
#'
#' @param Z A numeric matrix (or vector) of any shape, e.g. the (N, H) matrix
#'   `Z_2 = X %*% W_1` of the hidden layer's inputs.
#' @return A numeric matrix (or vector) of the same shape as `Z`, every value
#'   in (0, 1).
#' @seealso [sigmoid_prime()], its derivative; [forward()].
#' @export
#' @examples
#' sigmoid(c(-2, 0, 2))
#' sigmoid(matrix(c(-1, 0, 1, 2), 2))
sigmoid <- function(Z) {
  1 / (1 + exp(-Z))
}

#' The derivative of the sigmoid
#'
#' The slides' form of f'(z), found with the quotient rule:
#' \eqn{f'(t) = e^{-t} / (1 + e^{-t})^2}, applied element by element. It is
#' `NaN` for z below about -710 (`exp()` overflows to `Inf`, and `Inf / Inf`):
#' kept as written because parity with the Python twin depends on the
#' formula, and [train()] stops with a clear error instead.
#'
#' @param Z A numeric matrix (or vector) of any shape: `Z_2` (N, H) or `Z_3`
#'   (N, 1) of [forward()].
#' @return A numeric matrix (or vector) of the same shape as `Z`, every value
#'   in (0, 0.25\]; `NaN` where `Z` is below about -710.
#' @seealso [sigmoid()], [backprop()].
#' @export
#' @examples
#' sigmoid_prime(c(-2, 0, 2))   # 0.25 at 0, the steepest point
#' s <- sigmoid(1); s * (1 - s) - sigmoid_prime(1)   # f' = f (1 - f)
sigmoid_prime <- function(Z) {
  exp(-Z) / ((1 + exp(-Z))^2)
}

#' The lecture's cost function
#'
#' \eqn{J = \frac{1}{2} \sum_n (y_n - \hat{y}_n)^2}: the loss
#' \eqn{\frac{1}{N} \sum (y_n - \hat{y}_n)^2} multiplied by the positive
#' constant N / 2 to make the derivatives tidier. The weights that minimise J
#' are those that minimise the loss.
#'
#' @param Y The (N, 1) matrix of scaled targets.
#' @param Y_hat The (N, 1) matrix of the network's predictions (`Y_hat` of
#'   [forward()]).
#' @return One number, J.
#' @export
#' @examples
#' cost(matrix(c(0.75, 0.82, 0.93)), matrix(c(0.7, 0.8, 0.9)))
cost <- function(Y, Y_hat) {
  0.5 * sum((Y - Y_hat)^2)
}

#' Scale the inputs by each column's maximum
#'
#' As on the slides, each feature column (hours of sleep, hours of study) is
#' divided by its maximum, so that it lies in \[0, 1\] (for positive data).
#'
#' @param x The (N, D) numeric matrix of raw inputs, one column per feature.
#' @return The (N, D) matrix `X` of scaled inputs: column j of `x` divided by
#'   `max(x[, j])`.
#' @seealso [scale_target()].
#' @export
#' @examples
#' scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))   # the slides' sleep, study
scale_features <- function(x) {
  colmax <- apply(x, 2, max)
  t(t(x) / colmax)
}

#' Scale the scores onto \[0, 1\]
#'
#' The slides' target, test scores out of 100, divided by 100 so that a
#' sigmoid output can reach it.
#'
#' @param y The (N, 1) numeric matrix (or vector) of raw scores out of 100.
#' @return `y / 100`, of the same shape: the scaled target `Y`.
#' @seealso [scale_features()].
#' @export
#' @examples
#' scale_target(matrix(c(75, 82, 93), 3))
scale_target <- function(y) {
  y / 100
}

#' Draw the starting weights of the lecture's network
#'
#' As on the slides: `set.seed(seed)`, then `W_1` is drawn before `W_2`, each
#' from `runif()` (every weight in (0, 1)), which fills a matrix by column.
#'
#' @param input_size D, the number of inputs (columns of `X`; 2 on the slides).
#' @param hidden_size H, the number of hidden units (3 on the slides).
#' @param output_size The number of outputs (1 on the slides).
#' @param seed The seed passed to [set.seed()] before the draws (a whole
#'   number).
#' @return A named list, the shape [train()]'s `start` takes:
#'   * `W_1`: the (D, H) matrix of input-to-hidden weights;
#'   * `W_2`: the (H, output_size) matrix of hidden-to-output weights.
#' @export
#' @examples
#' init_weights(2, 3, 1, seed = 1)
init_weights <- function(input_size, hidden_size, output_size, seed) {
  set.seed(seed)
  W_1 <- matrix(runif(input_size * hidden_size),
                nrow = input_size, ncol = hidden_size)
  W_2 <- matrix(runif(hidden_size * output_size),
                nrow = hidden_size, ncol = output_size)
  list(W_1 = W_1, W_2 = W_2)
}

#' Forward propagation (no bias terms)
#'
#' The slides' forward pass: \eqn{Z_2 = X W_1}, \eqn{A_2 = f(Z_2)},
#' \eqn{Z_3 = A_2 W_2}, \eqn{\hat{Y} = f(Z_3)}, with f the [sigmoid()]; in
#' short \eqn{\hat{y} = f(f(X W_1) W_2)}.
#'
#' @param X The (N, D) matrix of scaled inputs.
#' @param W_1 The (D, H) matrix of input-to-hidden weights.
#' @param W_2 The (H, 1) matrix of hidden-to-output weights.
#' @return A named list of every intermediate, as [backprop()] takes it:
#'   * `Z_2`: (N, H), `X %*% W_1`;
#'   * `A_2`: (N, H), `sigmoid(Z_2)`;
#'   * `Z_3`: (N, 1), `A_2 %*% W_2`;
#'   * `Y_hat`: (N, 1), `sigmoid(Z_3)`, the predictions.
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))
#' W <- init_weights(2, 3, 1, seed = 1)
#' forward(X, W$W_1, W$W_2)$Y_hat
forward <- function(X, W_1, W_2) {
  Z_2 <- X %*% W_1          # (N, H) = (N, D) %*% (D, H)
  A_2 <- sigmoid(Z_2)
  Z_3 <- A_2 %*% W_2        # (N, 1) = (N, H) %*% (H, 1)
  Y_hat <- sigmoid(Z_3)
  list(Z_2 = Z_2, A_2 = A_2, Z_3 = Z_3, Y_hat = Y_hat)
}

#' Back propagation: the gradient of J with respect to both weight matrices
#'
#' The slides' two gradients, from the output back:
#' * `delta_3 = -(Y - Y_hat) * f'(Z_3)`, (N, 1);
#' * `dJ_dW_2 = t(A_2) %*% delta_3`, (H, 1);
#' * `delta_2 = delta_3 %*% t(W_2) * f'(Z_2)`, (N, H);
#' * `dJ_dW_1 = t(X) %*% delta_2`, (D, H).
#'
#' @param X The (N, D) matrix of scaled inputs.
#' @param Y The (N, 1) matrix of scaled targets.
#' @param W_2 The (H, 1) matrix of hidden-to-output weights the forward pass
#'   used.
#' @param fwd The list [forward()] returned for `X`, `W_1` and `W_2`.
#' @return A named list:
#'   * `dJ_dW_1`: the (D, H) matrix \eqn{\partial J / \partial W_1};
#'   * `dJ_dW_2`: the (H, 1) matrix \eqn{\partial J / \partial W_2}.
#' @seealso [gradient_check()], which checks such gradients against central
#'   differences.
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))   # sleep, study
#' Y <- scale_target(matrix(c(75, 82, 93), 3))            # scores
#' W <- init_weights(2, 3, 1, seed = 1)
#' backprop(X, Y, W$W_2, forward(X, W$W_1, W$W_2))
backprop <- function(X, Y, W_2, fwd) {
  delta_3 <- -(Y - fwd$Y_hat) * sigmoid_prime(fwd$Z_3)   # (N, 1)
  dJ_dW_2 <- t(fwd$A_2) %*% delta_3                      # (H, 1)
  delta_2 <- delta_3 %*% t(W_2) * sigmoid_prime(fwd$Z_2) # (N, H)
  dJ_dW_1 <- t(X) %*% delta_2                            # (D, H)
  list(dJ_dW_1 = dJ_dW_1, dJ_dW_2 = dJ_dW_2)
}

check_data <- function(X, Y) {
  if (!is_numeric_matrix(X) || !is_numeric_matrix(Y)) {
    stop("X and Y must be numeric matrices", call. = FALSE)
  }
  if (nrow(X) != nrow(Y) || ncol(Y) != 1) {
    stop(sprintf("Y must be a (%d, 1) matrix to match X; got (%d, %d)",
                 nrow(X), nrow(Y), ncol(Y)), call. = FALSE)
  }
  if (nrow(X) < 1 || ncol(X) < 1) {
    stop(sprintf("X must have at least one row and one column; got (%d, %d)",
                 nrow(X), ncol(X)), call. = FALSE)
  }
  if (!all(is.finite(X)) || !all(is.finite(Y))) {
    stop("X and Y must hold only finite numbers", call. = FALSE)
  }
}

check_training_args <- function(X, Y, hidden, seed, iterations, step) {
  check_data(X, Y)
  check_count("hidden", hidden, 1)
  check_run_args(seed, iterations, step)
}

check_run_args <- function(seed, iterations, step) {
  check_seed(seed)
  check_count("iterations", iterations, 0)
  check_positive("step", step)
}

# Starting parameters given by hand (train()'s and train_network()'s `start`,
# as nnet() takes Wts): a named list of exactly W_1 .. W_L (and B_1 .. B_L
# with bias), each a matrix of finite numbers shaped for the layer sizes
# c(D, hidden..., K). Returned in that order.
check_start <- function(start, sizes, bias) {
  k <- seq_len(length(sizes) - 1)
  needed <- c(paste0("W_", k), if (bias) paste0("B_", k))
  if (!is.list(start) || is.null(names(start)) ||
      !setequal(names(start), needed) || anyDuplicated(names(start)) > 0) {
    stop(sprintf("start must hold exactly %s; got %s",
                 paste(needed, collapse = ", "),
                 describe(if (is.list(start)) names(start) else start)),
         call. = FALSE)
  }
  shapes <- c(lapply(k, function(i) c(sizes[i], sizes[i + 1])),
              if (bias) lapply(k, function(i) c(1, sizes[i + 1])))
  for (j in seq_along(needed)) {
    P <- start[[needed[j]]]
    if (!is_numeric_matrix(P) ||
        !identical(as.numeric(dim(P)), as.numeric(shapes[[j]])) ||
        !all(is.finite(P))) {
      stop(sprintf(paste0("%s of start must be a (%d, %d) matrix of finite ",
                          "numbers; got %s"),
                   needed[j], shapes[[j]][1], shapes[[j]][2],
                   if (is.matrix(P)) sprintf("(%d, %d)", nrow(P), ncol(P))
                   else class(P)[1]), call. = FALSE)
    }
  }
  start[needed]
}

# A cost (or weight) that is no longer finite means the step is too large;
# unless it is the first cost, at the starting weights, before any step: then
# no step size helps.
stop_if_diverged <- function(value, i, step, what = "the cost") {
  if (is.finite(value)) {
    return(invisible(NULL))
  }
  if (i == 1 && what != "a weight") {
    stop(sprintf(paste0("%s is %s at the starting weights, before any step, so ",
                        "no step size can help: the targets or the data are out ",
                        "of this network's range"), what, value), call. = FALSE)
  }
  stop(sprintf(paste0("training diverged at iteration %d: %s is %s; ",
                      "try a step smaller than %.6g"), i, what, value, step),
       call. = FALSE)
}

# The last update can overflow without any cost having shown it.
stop_if_weights_diverged <- function(params, iterations, step) {
  not_finite <- Filter(Negate(is.finite), unlist(params))
  if (length(not_finite) > 0) {
    stop_if_diverged(not_finite[1], iterations, step, "a weight")
  }
}

#' Train the lecture's network by gradient descent
#'
#' Gradient descent as on the slides: at every iteration a forward pass, its
#' cost, back propagation, then `W_1 <- W_1 - step * dJ_dW_1` and
#' `W_2 <- W_2 - step * dJ_dW_2`. `Y_hat` comes from the last forward pass,
#' made before the last update, exactly as the slides print it. The starting
#' weights are drawn by [init_weights()] after `set.seed(seed)`, or given as
#' `start`. Training stops with an error, naming the iteration and a smaller
#' step to try, when the cost or a weight is no longer finite.
#'
#' @param X The (N, D) matrix of scaled inputs (see [scale_features()]).
#' @param Y The (N, 1) matrix of scaled targets (see [scale_target()]).
#' @param hidden H, the number of hidden units (default 3, the slides').
#' @param seed The seed for the starting weights (default 1); not used when
#'   `start` is given.
#' @param iterations The number of gradient-descent updates (default 10000, the
#'   slides'); 0 trains nothing.
#' @param step The step size (learning rate) of every update (default 5, the
#'   slides').
#' @param start `NULL` (the default) to draw the starting weights, or
#'   `list(W_1 = ..., W_2 = ...)`: the (D, H) and (H, 1) matrices to start
#'   from, drawing nothing (the way `nnet::nnet()` takes `Wts`).
#' @param progress `NULL` (the default), or a function called as
#'   `progress(i, cost)` at every iteration i, after the cost and before the
#'   update (for a progress bar).
#' @return A named list:
#'   * `W_1`: the (D, H) matrix of trained input-to-hidden weights;
#'   * `W_2`: the (H, 1) matrix of trained hidden-to-output weights;
#'   * `Y_hat`: the (N, 1) predictions of the last forward pass, before the
#'     last update (of the starting weights when `iterations` is 0);
#'   * `cost_history`: the `iterations` costs J, each before its update;
#'   * `W_1_init`, `W_2_init`: the (D, H) and (H, 1) starting weights.
#' @seealso [train_network()] for other networks, [fit()] to choose between
#'   them.
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))   # sleep, study
#' Y <- scale_target(matrix(c(75, 82, 93), 3))            # scores
#' net <- train(X, Y)   # the slides' call: 10000 steps of size 5, seed 1
#' net$W_1
#' net$W_2
#' net$Y_hat
#' net$cost_history[10000]
#' train(X, Y, iterations = 100, start = init_weights(2, 3, 1, seed = 2))$Y_hat
train <- function(X, Y, hidden = 3, seed = 1, iterations = 10000, step = 5,
                  start = NULL, progress = NULL) {
  check_training_args(X, Y, hidden, seed, iterations, step)
  weights <- if (is.null(start)) {
    init_weights(ncol(X), hidden, ncol(Y), seed)
  } else {
    check_start(start, c(ncol(X), hidden, ncol(Y)), bias = FALSE)
  }
  W_1 <- weights$W_1
  W_2 <- weights$W_2
  cost_history <- rep(NA_real_, iterations)
  fwd <- forward(X, W_1, W_2)   # Y_hat of the initial weights, for 0 iterations
  for (i in seq_len(iterations)) {
    fwd <- forward(X, W_1, W_2)
    cost_history[i] <- cost(Y, fwd$Y_hat)
    stop_if_diverged(cost_history[i], i, step)
    if (!is.null(progress)) progress(i, cost_history[i])
    grad <- backprop(X, Y, W_2, fwd)
    W_1 <- W_1 - step * grad$dJ_dW_1
    W_2 <- W_2 - step * grad$dJ_dW_2
  }
  stop_if_weights_diverged(list(W_1, W_2), iterations, step)
  list(W_1 = W_1, W_2 = W_2, Y_hat = fwd$Y_hat, cost_history = cost_history,
       W_1_init = weights$W_1, W_2_init = weights$W_2)
}
