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
# 1e-5 (rounding); hence the default h = 1e-4.

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

# The parameters to check at: the model's initial ones for `seed`, or `params`,
# a named list W_1 .. W_L (and B_1 .. B_L with bias) shaped for `sizes`.
check_params <- function(params, sizes, bias) {
  L <- length(sizes) - 1
  k <- seq_len(L)
  needed <- c(paste0("W_", k), if (bias) paste0("B_", k))
  if (!is.list(params) || !setequal(names(params), needed)) {
    stop(sprintf("params must be a named list of exactly %s; got %s",
                 paste(needed, collapse = ", "),
                 paste(deparse(names(params)), collapse = " ")), call. = FALSE)
  }
  for (i in k) {
    shapes <- list(c(sizes[i], sizes[i + 1]), c(1, sizes[i + 1]))
    names(shapes) <- c(paste0("W_", i), paste0("B_", i))
    for (name in intersect(names(shapes), needed)) {
      P <- params[[name]]
      if (!is.matrix(P) || !is.numeric(P) ||
          !identical(as.numeric(dim(P)), as.numeric(shapes[[name]])) ||
          !all(is.finite(P))) {
        stop(sprintf(paste0("params$%s must be a (%d, %d) matrix of finite ",
                            "numbers; got %s"),
                     name, shapes[[name]][1], shapes[[name]][2],
                     if (is.matrix(P)) sprintf("(%d, %d)", nrow(P), ncol(P))
                     else class(P)[1]), call. = FALSE)
      }
    }
  }
  list(weights = unname(params[paste0("W_", k)]),
       biases = if (bias) unname(params[paste0("B_", k)]) else NULL)
}

# The analytic gradients (backward_network) and the central differences, each
# a named list W_1 .. W_L, B_1 .. B_L, at the initial parameters of a
# configuration or at `params`.
network_gradients <- function(X, Y, hidden = 3, seed = 1,
                              activation = "sigmoid",
                              output_activation = "sigmoid",
                              loss = "half_sse", init = "uniform",
                              bias = FALSE, alpha = 0.01, h = 1e-4,
                              params = NULL) {
  check_network_data(X, Y)
  check_hidden(hidden)
  check_run_args(seed, 0, 1)
  acts <- check_network_config(Y, activation, output_activation, loss, init,
                               bias, alpha)
  if (!is.numeric(h) || length(h) != 1 || !is.finite(h) || h <= 0) {
    stop(sprintf("h must be a finite number > 0; got %s",
                 paste(deparse(h), collapse = " ")), call. = FALSE)
  }
  sizes <- c(ncol(X), hidden, ncol(Y))
  start <- if (is.null(params)) {
    init_network(sizes, init, seed, bias)
  } else {
    check_params(params, sizes, bias)
  }
  weights <- start$weights
  biases <- start$biases
  L <- length(weights)
  grad <- backward_network(Y, weights, biases,
                           forward_network(X, weights, biases, acts), acts)
  analytic <- c(stats::setNames(grad$dJ_dW, paste0("W_", seq_len(L))),
                if (bias) stats::setNames(grad$dJ_dB, paste0("B_", seq_len(L))))
  cost_at <- function(weights, biases) {
    acts$loss$f(Y, forward_network(X, weights, biases, acts)$Y_hat)
  }
  numeric <- analytic
  for (k in seq_len(L)) {
    with_weight <- function(P) {
      weights[[k]] <- P
      cost_at(weights, biases)
    }
    numeric[[paste0("W_", k)]] <- central_differences(weights[[k]],
                                                      with_weight, h)
    if (bias) {
      with_bias <- function(P) {
        biases[[k]] <- P
        cost_at(weights, biases)
      }
      numeric[[paste0("B_", k)]] <- central_differences(biases[[k]],
                                                        with_bias, h)
    }
  }
  list(analytic = analytic, numeric = numeric)
}

# (J(P + h e_i) - J(P - h e_i)) / (2 h) for every element i of the matrix P,
# where cost(P) is J with P in its place.
central_differences <- function(P, cost, h) {
  numeric <- matrix(0, nrow = nrow(P), ncol = ncol(P))
  for (i in seq_along(P)) {
    plus <- P
    plus[i] <- P[i] + h
    minus <- P
    minus[i] <- P[i] - h
    numeric[i] <- (cost(plus) - cost(minus)) / (2 * h)
  }
  numeric
}

# relative_difference() per parameter matrix, a named list W_1 = ..., B_1 = ...;
# below 1e-7 means the backward pass is right. Same arguments as
# network_gradients().
gradient_check <- function(X, Y, hidden = 3, seed = 1, activation = "sigmoid",
                           output_activation = "sigmoid", loss = "half_sse",
                           init = "uniform", bias = FALSE, alpha = 0.01,
                           h = 1e-4, params = NULL) {
  grads <- network_gradients(X, Y, hidden, seed, activation, output_activation,
                             loss, init, bias, alpha, h, params)
  stats::setNames(
    lapply(names(grads$analytic), function(name) {
      relative_difference(grads$analytic[[name]], grads$numeric[[name]])
    }),
    names(grads$analytic))
}
