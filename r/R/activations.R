# Activation functions, each with its derivative next to it, and one table of
# them by name. Only definitions: safe to source().
# Python twin: py/backprop/activations.py, same functions in the same order,
# the same table.
#
# Z is a matrix of pre-activations, (N, units). Every function works element
# by element, except softmax, which works on each row. At the kink z = 0 the
# derivatives take the right-hand side's value for leaky_relu (alpha) and the
# left-hand side's for relu (0); the gradient check keeps away from z = 0.

# sigmoid and sigmoid_prime are the lecture's, from r/network.R (source it
# first): one definition, so the default network reproduces the lecture.

# Named after the function it wraps; base::tanh is called explicitly.
tanh <- function(Z) {
  base::tanh(Z)
}

tanh_prime <- function(Z) {
  1 - base::tanh(Z)^2
}

relu <- function(Z) {
  ifelse(Z > 0, Z, 0)
}

relu_prime <- function(Z) {
  ifelse(Z > 0, 1, 0)
}

leaky_relu <- function(Z, alpha = 0.01) {
  ifelse(Z > 0, Z, alpha * Z)
}

leaky_relu_prime <- function(Z, alpha = 0.01) {
  ifelse(Z > 0, 1, alpha)
}

linear <- function(Z) {
  Z
}

linear_prime <- function(Z) {
  matrix(1, nrow = nrow(Z), ncol = ncol(Z))
}

# log(1 + e^z), a smooth relu, written so that e^z never overflows: for z > 0,
# log(1 + e^z) = z + log(1 + e^-z), so in general it is
# max(z, 0) + log1p(e^-|z|), and log1p keeps the digits of a tiny e^-|z|.
softplus <- function(Z) {
  pmax(Z, 0) + log1p(exp(-abs(Z)))
}

# d/dz log(1 + e^z) = e^z / (1 + e^z) = 1 / (1 + e^-z): the lecture's sigmoid.
softplus_prime <- function(Z) {
  sigmoid(Z)
}

# Each row of Z becomes a probability vector: e^z_j / sum_k e^z_k. Subtracting
# the row's maximum first changes nothing mathematically (it cancels between
# numerator and denominator) but keeps exp() from overflowing.
softmax <- function(Z) {
  E <- exp(Z - apply(Z, 1, max))   # (N, K); a length-N vector recycles by row
  E / rowSums(E)
}

# Softmax mixes a row's units, so its derivative is a K x K Jacobian per row,
# dA_j/dZ_i = A_j (1[i = j] - A_i). Applied to G = dLoss/dA (N, K), row by row:
# delta_i = sum_j G_j A_j (1[i = j] - A_i) = A_i (G_i - sum_j G_j A_j).
softmax_backward <- function(A, G) {
  A * (G - rowSums(G * A))         # (N, K)
}

# The classical perceptron's step: forward only. Its derivative is 0 wherever
# it exists, so no gradient can flow through it; training refuses it.
step_function <- function(Z) {
  ifelse(Z >= 0, 1, 0)
}

# Every activation by name: f and f' side by side. Those whose f and f' take
# `alpha` (leaky_relu's slope below 0) get get_activation()'s. sigmoid and
# sigmoid_prime are called, not stored: network.R defines them, and R loads a
# package's files in alphabetical order, so they do not exist yet here.
activations <- list(
  sigmoid = list(f = function(Z) sigmoid(Z),
                 prime = function(Z) sigmoid_prime(Z)),
  tanh = list(f = tanh, prime = tanh_prime),
  relu = list(f = relu, prime = relu_prime),
  leaky_relu = list(f = leaky_relu, prime = leaky_relu_prime),
  linear = list(f = linear, prime = linear_prime),
  softplus = list(f = softplus, prime = softplus_prime),
  softmax = list(f = softmax, prime = NULL),  # f' is a Jacobian per row
  step = list(f = step_function, prime = NULL)  # no useful f': forward only
)

#' Look up an activation function by name
#'
#' The activation called `name`, with its derivative next to it. `Z` is a
#' matrix of pre-activations, (N, units); every function works element by
#' element, except softmax, which works on each row. At the kink z = 0 the
#' derivatives take the right-hand side's value for leaky_relu (`alpha`) and
#' the left-hand side's for relu (0). `"sigmoid"` is the lecture's
#' [sigmoid()] and [sigmoid_prime()].
#'
#' @param name One of `"sigmoid"`, `"tanh"`, `"relu"`, `"leaky_relu"`,
#'   `"linear"`, `"softplus"` (\eqn{\log(1 + e^z)}, whose derivative is the
#'   sigmoid), `"softmax"` or `"step"` (the classical perceptron's, forward
#'   only).
#' @param alpha The slope of `"leaky_relu"` below 0 (default 0.01); unused by
#'   the others.
#' @return A named list:
#'   * `name`: `name`;
#'   * `f`: the function of an (N, units) matrix `Z`, returning a matrix of
#'     the same shape;
#'   * `prime`: its derivative, a function of `Z` of the same shape; `NULL`
#'     for `"softmax"` (whose derivative is a Jacobian per row, applied by the
#'     backward pass) and for `"step"` (which has none).
#' @export
#' @examples
#' act <- get_activation("relu")
#' Z <- matrix(c(-1, 0.5, 2, -3), 2)
#' act$f(Z)
#' act$prime(Z)
#' get_activation("softmax")$f(matrix(c(0.3, -0.4), 1))
get_activation <- function(name, alpha = 0.01) {
  check_name("activation", name, names(activations))
  act <- activations[[name]]
  f <- act$f
  prime <- act$prime
  if ("alpha" %in% names(formals(f))) {
    f <- function(Z) act$f(Z, alpha)
    prime <- function(Z) act$prime(Z, alpha)
  }
  list(name = name, f = f, prime = prime)
}

# delta = dLoss/dZ from G = dLoss/dA: G * f'(Z), or softmax's row rule.
activation_delta <- function(act, Z, A, G) {
  if (act$name == "softmax") {
    return(softmax_backward(A, G))
  }
  if (is.null(act$prime)) {
    stop(sprintf(paste0("the '%s' activation has no useful derivative, so ",
                        "nothing can be trained or gradient-checked through ",
                        "it; choose one of %s"), act$name,
                 paste0("'", setdiff(names(activations), "step"), "'",
                        collapse = ", ")), call. = FALSE)
  }
  G * act$prime(Z)
}
