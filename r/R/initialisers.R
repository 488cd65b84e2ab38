# Weight initialisers, all drawn from R's generator, one table of them by
# name, and the network's starting weights and biases. Only definitions: safe
# to source().
# Python twin: py/backprop/initialisers.py, same functions in the same order,
# the same table.
# (R draws from the generator set.seed() started; Python passes it as `rng`.)
#
# Each W_k is an (n_in, n_out) matrix filled by column, the way matrix(runif(n),
# nrow = n_in) fills it; the layers are drawn in order W_1, W_2, ..., so R and
# Python start from the same numbers.

# The lecture's runif(n): every weight in (0, 1).
draw_uniform <- function(n_in, n_out) {
  matrix(runif(n_in * n_out), nrow = n_in, ncol = n_out)
}

# Xavier (Glorot), as in seed document 000: N(0, 2 / (n_in + n_out)), so a
# sigmoid or tanh layer keeps the variance of its signal roughly constant both
# forward and backward.
draw_xavier <- function(n_in, n_out) {
  matrix(rnorm(n_in * n_out, 0, sqrt(2 / (n_in + n_out))),
         nrow = n_in, ncol = n_out)
}

# He: N(0, 2 / n_in). A ReLU zeroes about half its inputs, and the factor 2
# makes up for the variance that loses.
draw_he <- function(n_in, n_out) {
  matrix(rnorm(n_in * n_out, 0, sqrt(2 / n_in)), nrow = n_in, ncol = n_out)
}

# "Random initialisation in a small range" of seed document 001: U(-0.1, 0.1).
# 0.1 keeps z = x w small for the lecture's inputs in [0, 1] (|z| < 0.1 D), so
# sigmoid and tanh units start near their steepest point, not saturated, while
# the weights still differ enough to break the symmetry between units.
draw_small_uniform <- function(n_in, n_out) {
  matrix(runif(n_in * n_out, -0.1, 0.1), nrow = n_in, ncol = n_out)
}

# Every initialiser by name.
initialisers <- list(
  uniform = draw_uniform,
  xavier = draw_xavier,
  he = draw_he,
  small_uniform = draw_small_uniform
)

#' Look up a weight initialiser by name
#'
#' The initialiser called `name`: a function that draws an (n_in, n_out)
#' weight matrix from R's generator (as [set.seed()] started it), filled by
#' column, the way `matrix(runif(n), nrow = n_in)` fills it.
#'
#' @param name One of:
#'   * `"uniform"`: the lecture's `runif(n)`, every weight in (0, 1);
#'   * `"xavier"` (Glorot): N(0, 2 / (n_in + n_out)), so a sigmoid or tanh
#'     layer keeps the variance of its signal roughly constant both forward
#'     and backward;
#'   * `"he"`: N(0, 2 / n_in); a ReLU zeroes about half its inputs, and the
#'     factor 2 makes up for the variance that loses;
#'   * `"small_uniform"`: U(-0.1, 0.1), so sigmoid and tanh units start near
#'     their steepest point while the weights still differ enough to break
#'     the symmetry between units.
#' @return A function of `(n_in, n_out)` returning an (n_in, n_out) matrix.
#' @export
#' @examples
#' set.seed(1)
#' get_initialiser("xavier")(2, 3)
get_initialiser <- function(name) {
  check_name("init", name, names(initialisers))
  initialisers[[name]]
}

#' Draw the starting parameters of a network
#'
#' Weights `W_1` .. `W_L` for the layer sizes, drawn in order after
#' `set.seed(seed)` by the initialiser `init`, then (with `bias`) `B_1` ..
#' `B_L`: rows of zeros that draw nothing, so turning bias on moves no weight
#' draw. With the lecture's sizes and `"uniform"`, the weights are
#' [init_weights()]'s.
#'
#' @param sizes The layer sizes `c(D, hidden, K)`: inputs, the units of each
#'   hidden layer, outputs; L = `length(sizes) - 1` weight matrices.
#' @param init The initialiser's name (see [get_initialiser()]).
#' @param seed The seed to set first (a whole number), or `NULL` to draw from
#'   R's stream as it stands.
#' @param bias `TRUE` to add the bias rows, `FALSE` for none.
#' @return A named list, the shape [train_network()]'s `start` takes: `W_k`
#'   (sizes\[k\], sizes\[k + 1\]) for k = 1 .. L, then with bias `B_k`
#'   (1, sizes\[k + 1\]) of zeros.
#' @export
#' @examples
#' init_network(c(2, 3, 1), "uniform", seed = 1, bias = TRUE)
init_network <- function(sizes, init, seed, bias) {
  draw <- get_initialiser(init)
  if (!is.null(seed)) set.seed(seed)
  k <- seq_len(length(sizes) - 1)
  params <- stats::setNames(lapply(k, function(i) draw(sizes[i], sizes[i + 1])),
                            paste0("W_", k))
  if (bias) {
    zeros <- lapply(k, function(i) matrix(0, nrow = 1, ncol = sizes[i + 1]))
    params <- c(params, stats::setNames(zeros, paste0("B_", k)))
  }
  params
}
