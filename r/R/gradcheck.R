# Checking the backward pass against central differences. Only definitions:
# safe to source() with model.R and the files it needs.
# Python twin: py/backprop/gradcheck.py, same functions in the same order.
#
# Each weight (and bias) is moved by +h and -h in turn, and
# (J(w + h) - J(w - h)) / (2 h) is compared with the analytic dJ/dw from
# backward_network(). The error of a central difference is about
# h^2 |J'''| / 6 (truncation) plus about eps |J| / h (rounding, eps = 2.2e-16).
# For J and its derivatives of order 1 the sum is smallest near
# h = eps^(1/3) = 6e-6, but a gradient matrix can be far smaller than J (deep
# leaky_relu networks: |dJ/dW_1| = 1e-5 with J = 1), and then rounding, which
# grows as h shrinks, dominates. Measured over 660 configurations (every
# activation, loss, bias on/off, depth 1-3), the worst ratio was 2.7e-6 with
# h = 1e-3 (truncation), 2.7e-8 with 1e-4, 5.4e-8 with 3e-5 and 1.9e-7 with
# 1e-5 (rounding). With softplus (900 configurations) 1e-4 is too coarse: a
# softplus output under three tanh layers with biases leaves 1.2e-7
# (truncation, falling as h^2); the worst with h = 5e-5 is 3.0e-8, hence the
# default h = 5e-5.

# |analytic - numeric| / |analytic + numeric| (Frobenius norms): about 1e-10
# when the two agree, near 1 or above when they do not. 0 when both are 0
# (a unit whose ReLU is off for every row has a zero gradient, exactly).
relative_difference <- function(analytic, numeric) {
  difference <- sqrt(sum((analytic - numeric)^2))
  if (difference == 0) {
    return(0)
  }
  difference / sqrt(sum((analytic + numeric)^2))
}

#' Analytic gradients beside central differences
#'
#' The gradients of the backward pass and the central differences
#' \eqn{(J(w + h) - J(w - h)) / (2 h)}, each weight (and bias) moved by +h and
#' -h in turn, at the starting parameters of the network the settings
#' describe, or at `start`. The default h = 5e-5 balances truncation and
#' rounding errors best over 660 configurations (every activation, loss, bias
#' on/off, depth 1-3; the reasoning and measurements head this file).
#'
#' @param X The (N, D) matrix of scaled inputs.
#' @param Y The (N, K) matrix of targets.
#' @param ... Settings of the network, by name: [train_network()]'s arguments
#'   (`hidden`, `seed`, `activation`, `loss`, `bias`, `decay`, ...), with its
#'   defaults; those of training alone, such as `step`, play no part.
#' @param h The step of the central differences, > 0 (default 5e-5).
#' @param start `NULL` (the default: the parameters drawn as
#'   [train_network()] draws its starting ones), or the parameters to check
#'   at, as [train_network()] takes `start`.
#' @param progress `NULL`, or a function called as `progress(1)` after each
#'   parameter's central difference (for a progress bar, such as
#'   [utils::txtProgressBar()]'s).
#' @return A named list:
#'   * `analytic`: the backward pass's gradients, a named list `W_1` ..
#'     `W_L` (then `B_1` .. `B_L` with bias), each shaped as its parameter;
#'   * `numeric`: the central differences, in the same shape.
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))
#' Y <- scale_target(matrix(c(75, 82, 93), 3))
#' grads <- network_gradients(X, Y)
#' grads$analytic$W_1
#' grads$numeric$W_1
network_gradients <- function(X, Y, ..., h = 5e-5, start = NULL,
                              progress = NULL) {
  setup <- network_setup(X, Y, ...)
  s <- setup$spec
  sizes <- setup$sizes
  acts <- setup$acts
  check_positive("h", h)
  params <- if (is.null(start)) {
    init_network(sizes, s$init, s$seed, s$bias)
  } else {
    check_start(start, sizes, s$bias)
  }
  L <- length(sizes) - 1
  weights <- unname(params[paste0("W_", seq_len(L))])
  biases <- if (s$bias) unname(params[paste0("B_", seq_len(L))])
  grad <- backward_network(Y, weights, biases,
                           forward_network(X, weights, biases, acts), acts)
  grad <- decay_gradients(grad, weights, s$decay)
  analytic <- c(stats::setNames(grad$dJ_dW, paste0("W_", seq_len(L))),
                if (s$bias) stats::setNames(grad$dJ_dB, paste0("B_", seq_len(L))))
  cost_at <- function(weights, biases) {
    acts$loss$f(Y, forward_network(X, weights, biases, acts)$Y_hat) +
      decay_cost(weights, s$decay)
  }
  stop_if_diverged(cost_at(weights, biases), 1, h)  # nothing to check against
  numeric <- analytic
  for (k in seq_len(L)) {
    with_weight <- function(P) {
      weights[[k]] <- P
      cost_at(weights, biases)
    }
    numeric[[paste0("W_", k)]] <- central_differences(weights[[k]],
                                                      with_weight, h, progress)
    if (s$bias) {
      with_bias <- function(P) {
        biases[[k]] <- P
        cost_at(weights, biases)
      }
      numeric[[paste0("B_", k)]] <- central_differences(biases[[k]],
                                                        with_bias, h, progress)
    }
  }
  list(analytic = analytic, numeric = numeric)
}

# (J(P + h e_i) - J(P - h e_i)) / (2 h) for every element i of the matrix P,
# where cost(P) is J with P in its place; progress(1), if given, after each.
central_differences <- function(P, cost, h, progress = NULL) {
  numeric <- matrix(0, nrow = nrow(P), ncol = ncol(P))
  for (i in seq_along(P)) {
    plus <- P
    plus[i] <- P[i] + h
    minus <- P
    minus[i] <- P[i] - h
    numeric[i] <- (cost(plus) - cost(minus)) / (2 * h)
    if (!is.null(progress)) progress(1)
  }
  numeric
}

#' Check the backward pass against central differences
#'
#' For every parameter matrix, the relative difference
#' \eqn{|a - n| / |a + n|} (Frobenius norms) between the analytic gradient a
#' and the central differences n of [network_gradients()]: about 1e-10 when
#' the two agree, near 1 or above when they do not, and 0 when both are 0 (a
#' unit whose ReLU is off for every row has a zero gradient, exactly). Below
#' 1e-7 means the backward pass is right.
#'
#' @inheritParams network_gradients
#' @return A named list of numbers, one per parameter matrix: `W_1` .. `W_L`,
#'   then `B_1` .. `B_L` with bias.
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))
#' Y <- scale_target(matrix(c(75, 82, 93), 3))
#' gradient_check(X, Y)
#' gradient_check(X, Y, hidden = c(3, 2), activation = "leaky_relu",
#'                bias = TRUE)
gradient_check <- function(X, Y, ..., h = 5e-5, start = NULL,
                           progress = NULL) {
  grads <- network_gradients(X, Y, ..., h = h, start = start,
                             progress = progress)
  stats::setNames(
    lapply(names(grads$analytic), function(name) {
      relative_difference(grads$analytic[[name]], grads$numeric[[name]])
    }),
    names(grads$analytic))
}
