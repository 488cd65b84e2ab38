# Loss functions J(Y, Y_hat), each with its gradient dJ/dY_hat next to it, and
# one table of them by name. Only definitions: safe to source().
# Python twin: py/backprop/losses.py, same functions in the same order, the
# same table.
#
# Y and Y_hat are (N, K) matrices: N rows of data, K outputs. "mean" is over
# all N * K entries, except cross_entropy, which sums over the K classes and
# averages over the N rows.

# The lecture's J = 1/2 sum (y - y_hat)^2 and its gradient, with the same
# arithmetic as r/network.R's cost() and delta_3.
half_sse <- function(Y, Y_hat) {
  0.5 * sum((Y - Y_hat)^2)
}

half_sse_gradient <- function(Y, Y_hat) {
  -(Y - Y_hat)
}

mse <- function(Y, Y_hat) {
  sum((Y - Y_hat)^2) / length(Y)
}

mse_gradient <- function(Y, Y_hat) {
  -2 * (Y - Y_hat) / length(Y)
}

# |y - y_hat| has a kink at y_hat = y, where sign() gives 0.
mae <- function(Y, Y_hat) {
  sum(abs(Y - Y_hat)) / length(Y)
}

mae_gradient <- function(Y, Y_hat) {
  sign(Y_hat - Y) / length(Y)
}

# x * log(y) with 0 * log(0) = 0: a class the target gives no weight costs
# nothing, even where the prediction for it has saturated to exactly 0.
xlogy <- function(x, y) {
  out <- x * log(y)
  out[x == 0] <- 0
  out
}

# x / y with 0 / 0 = 0, for the gradients of the same terms.
xdivy <- function(x, y) {
  out <- x / y
  out[x == 0] <- 0
  out
}

# -mean(y log p + (1 - y) log(1 - p)), each of the N * K outputs its own
# yes/no question. Needs targets and predictions in [0, 1].
binary_cross_entropy <- function(Y, Y_hat) {
  -sum(xlogy(Y, Y_hat) + xlogy(1 - Y, 1 - Y_hat)) / length(Y)
}

binary_cross_entropy_gradient <- function(Y, Y_hat) {
  (xdivy(1 - Y, 1 - Y_hat) - xdivy(Y, Y_hat)) / length(Y)
}

# Categorical: -(1/N) sum_n sum_k y_nk log p_nk, each row of Y a distribution
# over the K classes (one-hot for hard labels).
cross_entropy <- function(Y, Y_hat) {
  -sum(xlogy(Y, Y_hat)) / nrow(Y)
}

cross_entropy_gradient <- function(Y, Y_hat) {
  -xdivy(Y, Y_hat) / nrow(Y)
}

# With a softmax output and cross_entropy, the output delta dJ/dZ simplifies.
# G = dJ/dA = -Y / (N A); softmax's rule delta = A * (G - rowSums(G * A)) gives
#   delta = -Y / N + A * rowSums(Y) / N = (A - Y) / N,
# because each row of Y sums to 1 (train_network checks it). No division by A,
# so it stays finite where a softmax output has saturated to 0.
softmax_cross_entropy_delta <- function(Y, Y_hat) {
  (Y_hat - Y) / nrow(Y)
}

# Every loss by name: J and its gradient side by side.
losses <- list(
  half_sse = list(f = half_sse, gradient = half_sse_gradient),
  mse = list(f = mse, gradient = mse_gradient),
  mae = list(f = mae, gradient = mae_gradient),
  binary_cross_entropy = list(f = binary_cross_entropy,
                              gradient = binary_cross_entropy_gradient),
  cross_entropy = list(f = cross_entropy, gradient = cross_entropy_gradient)
)

#' Look up a loss function by name
#'
#' The loss called `name`, J(Y, Y_hat), with its gradient dJ/dY_hat next to
#' it. "Mean" is over all N * K entries, except `"cross_entropy"`, which sums
#' over the K classes and averages over the N rows.
#'
#' @param name One of `"half_sse"` (the lecture's
#'   \eqn{J = \frac{1}{2} \sum (y - \hat{y})^2}, as [cost()]), `"mse"`,
#'   `"mae"`, `"binary_cross_entropy"` (each of the N * K outputs its own
#'   yes/no question; targets and predictions in \[0, 1\]) or
#'   `"cross_entropy"` (categorical: each row of Y a distribution over the K
#'   classes, one-hot for hard labels).
#' @return A named list:
#'   * `name`: `name`;
#'   * `f`: a function of `Y` and `Y_hat`, both (N, K), returning one number;
#'   * `gradient`: a function of `Y` and `Y_hat` returning dJ/dY_hat, (N, K).
#' @export
#' @examples
#' Y <- matrix(c(0.75, 0.82, 0.93))
#' Y_hat <- matrix(c(0.7, 0.8, 0.9))
#' loss <- get_loss("half_sse")
#' loss$f(Y, Y_hat)
#' loss$gradient(Y, Y_hat)
get_loss <- function(name) {
  check_name("loss", name, names(losses))
  loss <- losses[[name]]
  list(name = name, f = loss$f, gradient = loss$gradient)
}
