# Optimisers: how a weight matrix W moves, given its gradient g = dJ/dW, and
# one table of them by name. Each parameter matrix keeps its own state
# (velocity, running averages). Only definitions: safe to source().
# Python twin: py/backprop/optimisers.py, same functions in the same order,
# the same table.
#
# Every update takes (W, g, state, t, step, hyper) and returns
# list(W = new W, state = new state); t counts updates from 1 and hyper holds
# beta, rho, beta1, beta2 and eps. The formulas are seed document 001's.

# The lecture's gradient descent: W <- W - step * g.
gd_update <- function(W, g, state, t, step, hyper) {
  list(W = W - step * g, state = state)
}

# Velocity = beta * previous velocity + (1 - beta) * gradient;
# W <- W - step * velocity.
momentum_update <- function(W, g, state, t, step, hyper) {
  v <- hyper$beta * state$v + (1 - hyper$beta) * g
  list(W = W - step * v, state = list(v = v))
}

# A running average s of g^2 scales each weight's step: large, steady
# gradients take smaller steps, small ones larger.
rmsprop_update <- function(W, g, state, t, step, hyper) {
  s <- hyper$rho * state$s + (1 - hyper$rho) * g^2
  list(W = W - step * g / (sqrt(s) + hyper$eps), state = list(s = s))
}

# Adam: momentum's average m of g and RMSprop's average v of g^2, both
# corrected for starting at 0 (after t updates they hold only 1 - beta^t of
# their weight), then W <- W - step * m_hat / (sqrt(v_hat) + eps).
adam_update <- function(W, g, state, t, step, hyper) {
  m <- hyper$beta1 * state$m + (1 - hyper$beta1) * g
  v <- hyper$beta2 * state$v + (1 - hyper$beta2) * g^2
  m_hat <- m / (1 - hyper$beta1^t)
  v_hat <- v / (1 - hyper$beta2^t)
  list(W = W - step * m_hat / (sqrt(v_hat) + hyper$eps),
       state = list(m = m, v = v))
}

# Every optimiser train_network() takes, by name: its update of one matrix and
# the state each matrix keeps (zeros shaped like it to start). bfgs has no
# update of one matrix: it moves every weight at once through R's optim()
# (train_bfgs() in model.R).
optimisers <- list(
  gd = list(update = gd_update, state = character()),
  momentum = list(update = momentum_update, state = "v"),
  rmsprop = list(update = rmsprop_update, state = "s"),
  adam = list(update = adam_update, state = c("m", "v")),
  bfgs = list(update = NULL, state = character())
)

# The starting state of one parameter matrix: zeros shaped like W.
init_optimiser_state <- function(name, W) {
  zeros <- matrix(0, nrow = nrow(W), ncol = ncol(W))
  state <- optimisers[[name]]$state
  stats::setNames(rep(list(zeros), length(state)), state)
}

#' Look up an optimiser's update by name
#'
#' How a weight matrix W moves, given its gradient g = dJ/dW; each parameter
#' matrix keeps its own state (velocity, running averages). The formulas are
#' seed document 001's. BFGS, which moves every weight at once through R's
#' `optim()`, has no update of one matrix: [train_network()] takes it as
#' `optimizer = "bfgs"`.
#'
#' @param name One of:
#'   * `"gd"`: the lecture's gradient descent, `W - step * g`;
#'   * `"momentum"`: velocity `v = beta * v + (1 - beta) * g`, then
#'     `W - step * v`;
#'   * `"rmsprop"`: a running average `s` of `g^2` scales each weight's step,
#'     `W - step * g / (sqrt(s) + eps)`;
#'   * `"adam"`: momentum's average `m` of g and RMSprop's `v` of `g^2`, both
#'     corrected for starting at 0, then
#'     `W - step * m_hat / (sqrt(v_hat) + eps)`.
#' @return A function of `(W, g, state, t, step, hyper)`: W and g are
#'   matrices of one shape, `state` the matrix's state (`list()` for gd;
#'   `list(v)`, `list(s)` or `list(m, v)` of zero matrices to start), `t`
#'   counts updates from 1 (Adam's bias correction), `step` is the step size
#'   and `hyper` a list of `beta`, `rho`, `beta1`, `beta2` and `eps`. It
#'   returns `list(W = new W, state = new state)`.
#' @export
#' @examples
#' W <- matrix(1, 2, 3)
#' g <- matrix(0.1, 2, 3)
#' gd <- get_optimiser("gd")
#' gd(W, g, list(), 1, 5, list())$W
#' adam <- get_optimiser("adam")
#' zeros <- matrix(0, 2, 3)
#' hyper <- list(beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
#' adam(W, g, list(m = zeros, v = zeros), 1, 0.01, hyper)$W
get_optimiser <- function(name) {
  updates <- Filter(Negate(is.null),
                    lapply(optimisers, function(optimiser) optimiser$update))
  check_name("optimizer", name, names(updates))
  updates[[name]]
}

# beta, rho, beta1 and beta2 are decay rates in (0, 1); eps is > 0. Returns
# them as the `hyper` list the updates take.
check_hyperparameters <- function(beta, rho, beta1, beta2, eps) {
  rates <- list(beta = beta, rho = rho, beta1 = beta1, beta2 = beta2)
  for (name in names(rates)) {
    check_rate(name, rates[[name]])
  }
  check_positive("eps", eps)
  list(beta = beta, rho = rho, beta1 = beta1, beta2 = beta2, eps = eps)
}
