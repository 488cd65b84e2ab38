# Activation functions, each with its derivative next to it, and a lookup by
# name. Only definitions: safe to source().
# Python twin: py/backprop/activations.py, same functions in the same order.
#
# Z is a matrix of pre-activations, (N, units). Every function works element
# by element, except softmax, which works on each row. At the kink z = 0 the
# derivatives take the right-hand side's value for leaky_relu (alpha) and the
# left-hand side's for relu (0); the gradient check keeps away from z = 0.

activation_names <- c("sigmoid", "tanh", "relu", "leaky_relu", "linear",
                      "softmax", "step")

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
#'   `"linear"`, `"softmax"` or `"step"` (the classical perceptron's, forward
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
  check_name("activation", name, activation_names)
  switch(name,
    sigmoid = list(name = name, f = sigmoid, prime = sigmoid_prime),
    tanh = list(name = name, f = tanh, prime = tanh_prime),
    relu = list(name = name, f = relu, prime = relu_prime),
    leaky_relu = list(name = name,
                      f = function(Z) leaky_relu(Z, alpha),
                      prime = function(Z) leaky_relu_prime(Z, alpha)),
    linear = list(name = name, f = linear, prime = linear_prime),
    softmax = list(name = name, f = softmax, prime = NULL),
    step = list(name = name, f = step_function, prime = NULL)
  )
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
                 paste0("'", setdiff(activation_names, "step"), "'",
                        collapse = ", ")), call. = FALSE)
  }
  G * act$prime(Z)
}
