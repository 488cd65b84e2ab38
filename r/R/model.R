# The lecture's network, generalised: any number of hidden layers, any number
# of outputs, a choice of activations, loss, initialiser and optimiser, and
# optional bias terms. Only definitions: safe to source() after checks.R,
# network.R, activations.R, losses.R, initialisers.R and optimisers.R (it
# reuses check_run_args(), check_start() and stop_if_diverged() from
# network.R).
# Python twin: py/backprop/model.py, same functions in the same order.
#
# Layers are numbered as on the slides: A_1 = X is the input layer, and layer
# k + 1 gets Z_{k+1} = A_k W_k (+ B_k), A_{k+1} = f(Z_{k+1}). With L weight
# matrices, A_{L+1} = Y_hat. In the lists below, Z[[k]] is Z_{k+1} and A[[k]]
# is A_k, so A[[k]] %*% W[[k]] is Z[[k]].
#
# The default call is the lecture: train_network(X, Y) gives bit for bit the
# W_1, W_2, Y_hat and cost_history of train(X, Y) in network.R.

check_network_data <- function(X, Y) {
  if (!is_numeric_matrix(X) || !is_numeric_matrix(Y)) {
    stop("X and Y must be numeric matrices", call. = FALSE)
  }
  if (nrow(X) != nrow(Y) || ncol(Y) < 1 || ncol(X) < 1 || nrow(X) < 1) {
    stop(sprintf(paste0("X and Y must have the same number of rows (>= 1) ",
                        "and >= 1 column each; got X (%d, %d) and Y (%d, %d)"),
                 nrow(X), ncol(X), nrow(Y), ncol(Y)), call. = FALSE)
  }
  if (!all(is.finite(X)) || !all(is.finite(Y))) {
    stop("X and Y must hold only finite numbers", call. = FALSE)
  }
}

# The hidden layers' activation, the output layer's and the loss the settings
# name.
network_acts <- function(spec) {
  list(hidden = get_activation(spec$activation, spec$alpha),
       output = get_activation(spec$output_activation, spec$alpha),
       loss = get_loss(spec$loss))
}

# The network's functions for these settings (network_spec()'s, checked), and
# what they ask of the targets Y. Returns the activations and loss as lists.
check_network_config <- function(Y, spec) {
  output_activation <- spec$output_activation
  loss <- spec$loss
  acts <- network_acts(spec)
  if (output_activation == "softmax" && ncol(Y) < 2) {
    stop(paste0("output_activation 'softmax' needs a target with >= 2 columns ",
                "(one per class); Y has 1. For a single yes/no output use ",
                "'sigmoid'"), call. = FALSE)
  }
  if (loss %in% c("binary_cross_entropy", "cross_entropy")) {
    if (!(output_activation %in% c("sigmoid", "softmax"))) {
      stop(sprintf(paste0("loss '%s' takes the log of the outputs, so ",
                          "output_activation must be 'sigmoid' or 'softmax'; ",
                          "got '%s'"), loss, output_activation), call. = FALSE)
    }
    if (any(Y < 0 | Y > 1)) {
      stop(sprintf(paste0("loss '%s' needs targets in [0, 1]; ",
                          "Y has values in [%s, %s]"),
                   loss, format(min(Y)), format(max(Y))), call. = FALSE)
    }
  }
  if (loss == "cross_entropy" && output_activation == "softmax") {
    row_sums <- rowSums(Y)
    bad <- which(abs(row_sums - 1) > 1e-8)
    if (length(bad) > 0) {
      stop(sprintf(paste0("loss 'cross_entropy' with a softmax output needs ",
                          "each row of Y to sum to 1 (one-hot or class ",
                          "probabilities); row %d sums to %s"),
                   bad[1], format(row_sums[bad[1]])), call. = FALSE)
    }
  }
  acts
}

# Z_{k+1} = A_k W_k (+ B_k), A_{k+1} = f(Z_{k+1}), for k = 1 .. L; the hidden
# layers use acts$hidden, the last acts$output. B_k is (1, n_out); adding
# rep(B_k, each = N) adds it to every row (R stores a matrix by column).
forward_network <- function(X, weights, biases, acts) {
  L <- length(weights)
  Z <- vector("list", L)
  A <- vector("list", L + 1)
  A[[1]] <- X                                       # (N, D)
  for (k in seq_len(L)) {
    # (N, n_out) = (N, n_in) %*% (n_in, n_out)
    Z[[k]] <- A[[k]] %*% weights[[k]]
    if (!is.null(biases)) {
      Z[[k]] <- Z[[k]] + rep(biases[[k]], each = nrow(Z[[k]]))
    }
    act <- if (k < L) acts$hidden else acts$output
    A[[k + 1]] <- act$f(Z[[k]])
  }
  list(Z = Z, A = A, Y_hat = A[[L + 1]])
}

# The lecture's backward pass, layer by layer from the output:
#   delta_{L+1} = dJ/dY_hat * f'(Z_{L+1})   (or softmax's rules)
#   dJ/dW_k     = t(A_k) %*% delta_{k+1}
#   dJ/dB_k     = colSums(delta_{k+1})
#   delta_k     = delta_{k+1} %*% t(W_k) * f'(Z_k)
# The bias gradient (the lecture's "future homework exercise"): with B_k,
# Z_{k+1} = A_k W_k + 1 B_k, where 1 is an (N, 1) column of ones, so B_k is a
# weight on an input that is always 1. Replacing A_k by that column in
# dJ/dW_k = t(A_k) delta_{k+1} gives dJ/dB_k = t(1) delta_{k+1}: each
# z_{n,j} moves one for one with b_j, so dJ/db_j = sum_n delta_{n,j}.
backward_network <- function(Y, weights, biases, fwd, acts) {
  L <- length(weights)
  Y_hat <- fwd$Y_hat
  if (acts$output$name == "softmax" && acts$loss$name == "cross_entropy") {
    delta <- softmax_cross_entropy_delta(Y, Y_hat)  # (N, K); see losses.R
  } else {
    G <- acts$loss$gradient(Y, Y_hat)               # dJ/dY_hat, (N, K)
    delta <- activation_delta(acts$output, fwd$Z[[L]], Y_hat, G)
  }
  dJ_dW <- vector("list", L)
  dJ_dB <- if (is.null(biases)) NULL else vector("list", L)
  for (k in rev(seq_len(L))) {
    dJ_dW[[k]] <- t(fwd$A[[k]]) %*% delta           # (n_in, n_out)
    if (!is.null(biases)) {
      dJ_dB[[k]] <- matrix(colSums(delta), nrow = 1) # (1, n_out)
    }
    if (k > 1) {
      G <- delta %*% t(weights[[k]])                # (N, n_in) = dJ/dA_k
      delta <- activation_delta(acts$hidden, fwd$Z[[k - 1]], fwd$A[[k]], G)
    }
  }
  list(dJ_dW = dJ_dW, dJ_dB = dJ_dB)
}

# Weight decay (L2): (decay / 2) * the sum of every squared weight, added to
# the cost (0 without decay). The biases are not decayed: a bias only shifts a
# unit's input, so shrinking it does not make the function the network draws
# any smoother, it only pulls the fit off the data's level (nnet decays them
# too; most texts do not). The matrices' sums are added one by one, in double,
# as Python does: sum() of their sums would add them in long double.
decay_cost <- function(weights, decay) {
  if (decay == 0) {
    return(0)
  }
  penalty <- 0
  for (W in weights) {
    penalty <- penalty + sum(W * W)
  }
  decay / 2 * penalty
}

# The gradients with weight decay's part added: decay * W_k to each dJ/dW_k.
decay_gradients <- function(grad, weights, decay) {
  if (decay == 0) {
    return(grad)
  }
  grad$dJ_dW <- Map(function(g, W) g + decay * W, grad$dJ_dW, weights)
  grad
}

# The named list train_network returns: W_1 .. W_L, B_1 .. B_L (with bias),
# Y_hat, cost_history, then the starting parameters as W_k_init, B_k_init.
network_result <- function(weights, biases, Y_hat, cost_history, start) {
  k <- seq_along(weights)
  c(stats::setNames(weights, paste0("W_", k)),
    if (!is.null(biases)) stats::setNames(biases, paste0("B_", k)),
    list(Y_hat = Y_hat, cost_history = cost_history),
    stats::setNames(start, paste0(names(start), "_init")))
}

# One update of every weight (and bias) matrix by the optimiser, from the
# gradients `grad`; t counts the updates so far (Adam's bias correction).
# The parameters and the optimiser's state, moved.
step_network <- function(net, grad, t, update, step, hyper) {
  for (k in seq_along(net$weights)) {
    moved <- update(net$weights[[k]], grad$dJ_dW[[k]], net$W_state[[k]], t,
                    step, hyper)
    net$weights[[k]] <- moved$W
    net$W_state[[k]] <- moved$state
  }
  for (k in seq_along(net$biases)) {
    moved <- update(net$biases[[k]], grad$dJ_dB[[k]], net$B_state[[k]], t,
                    step, hyper)
    net$biases[[k]] <- moved$W
    net$B_state[[k]] <- moved$state
  }
  net
}

# BFGS, as R users fit this network (the lecture's own source trains it so):
# every parameter flattened, W_1 .. W_L then B_1 .. B_L, each column by column,
# through optim(method = "BFGS") with backward_network()'s gradient. iterations
# and step play no part: BFGS makes up to maxit iterations, each with its own
# line search. cost_history holds J at every evaluation of the objective, in
# order; Y_hat is the forward pass at optim()'s answer; the result adds
# counts (of J and of the gradient) and convergence (0: converged, 1: maxit).
train_bfgs <- function(X, Y, params, acts, decay, maxit, reltol, abstol,
                       progress = NULL) {
  shapes <- lapply(params, dim)
  L <- sum(startsWith(names(params), "W_"))
  unflatten <- function(par) {
    ends <- cumsum(vapply(shapes, prod, numeric(1)))
    p <- lapply(seq_along(shapes), function(j) {
      d <- shapes[[j]]
      matrix(par[(ends[j] - prod(d) + 1):ends[j]], d[1], d[2])
    })
    list(weights = p[seq_len(L)],
         biases = if (length(p) > L) p[L + seq_len(L)])
  }
  costs <- numeric(0)
  fn <- function(par) {
    p <- unflatten(par)
    Y_hat <- forward_network(X, p$weights, p$biases, acts)$Y_hat
    J <- acts$loss$f(Y, Y_hat) + decay_cost(p$weights, decay)
    costs <<- c(costs, J)
    if (!is.null(progress)) progress(length(costs), J)
    J
  }
  gr <- function(par) {
    p <- unflatten(par)
    fwd <- forward_network(X, p$weights, p$biases, acts)
    grad <- decay_gradients(
      backward_network(Y, p$weights, p$biases, fwd, acts), p$weights, decay)
    unlist(lapply(c(grad$dJ_dW, grad$dJ_dB), as.vector))
  }
  found <- stats::optim(unlist(lapply(params, as.vector)), fn, gr,
                        method = "BFGS",
                        control = list(maxit = maxit, reltol = reltol,
                                       abstol = abstol))
  p <- unflatten(found$par)
  Y_hat <- forward_network(X, p$weights, p$biases, acts)$Y_hat
  c(network_result(p$weights, p$biases, Y_hat, costs, params),
    list(counts = unname(found$counts), convergence = found$convergence))
}

# A batch size: a whole number from 1 to the rows there are to train on.
check_batch_size <- function(batch_size, n_rows) {
  check_count("batch_size", batch_size, 1)
  if (batch_size > n_rows) {
    stop(sprintf("batch_size must be at most the %d training rows; got %d",
                 n_rows, batch_size), call. = FALSE)
  }
}

# One epoch of updates of `net`. Without an `order`, one step on all the rows,
# whose forward pass `fwd` is given; with `order` (a shuffle of the row
# numbers), one step per batch of batch_size consecutive rows of it, the last
# one shorter, each on the loss over its batch alone. t is the updates made
# before (Adam counts them); the answer is list(net, t) after the epoch.
train_epoch <- function(X, Y, net, fwd, order, batch_size, t, acts, decay,
                        update, step, hyper, updated = NULL) {
  if (is.null(order) || is.null(batch_size)) {
    grad <- backward_network(Y, net$weights, net$biases, fwd, acts)
    grad <- decay_gradients(grad, net$weights, decay)
    net <- step_network(net, grad, t + 1, update, step, hyper)
    if (!is.null(updated)) updated(t + 1)
    return(list(net = net, t = t + 1))
  }
  for (first in seq(1, nrow(X), by = batch_size)) {
    rows <- order[first:min(first + batch_size - 1, nrow(X))]
    batch <- forward_network(X[rows, , drop = FALSE], net$weights, net$biases,
                             acts)
    grad <- backward_network(Y[rows, , drop = FALSE], net$weights, net$biases,
                             batch, acts)
    grad <- decay_gradients(grad, net$weights, decay)
    t <- t + 1
    net <- step_network(net, grad, t, update, step, hyper)
    if (!is.null(updated)) updated(t)
  }
  list(net = net, t = t)
}

# The parameters W_1 .. W_L (and B_1 .. B_L) to train, each with the
# optimiser's starting state: the list `net`.
new_net <- function(params, optimizer) {
  weights <- unname(params[startsWith(names(params), "W_")])
  biases <- unname(params[startsWith(names(params), "B_")])
  if (length(biases) == 0) biases <- NULL
  list(weights = weights, biases = biases,
       W_state = lapply(weights, function(W) init_optimiser_state(optimizer, W)),
       B_state = lapply(biases, function(B) init_optimiser_state(optimizer, B)))
}

# The slides' loop, generalised: `iterations` times, a forward pass over all
# rows, its cost (with weight decay's), then an epoch of updates
# (train_epoch(); with mini-batches, in the order sample(N) draws). A cost
# that is not finite stops the training. Returns the trained `net`, `Y_hat`
# of the last forward pass over all rows (before the last epoch's updates),
# the cost history and, with mini-batches, each epoch's order of the rows.
# (Python's twin also trains K restarts at once, on parameters with a leading
# restart axis; R trains its restarts one after another: train_restarts().)
train_loop <- function(X, Y, net, acts, spec, hyper, progress = NULL,
                       updated = NULL) {
  iterations <- spec$iterations
  step <- spec$step
  decay <- spec$decay
  batch_size <- spec$batch_size
  update <- get_optimiser(spec$optimizer)
  cost_history <- rep(NA_real_, iterations)
  batch_order <- if (!is.null(batch_size)) {
    matrix(NA_integer_, nrow = iterations, ncol = nrow(X))
  }
  t <- 0  # updates so far
  fwd <- forward_network(X, net$weights, net$biases, acts)  # for 0 iterations
  for (i in seq_len(iterations)) {
    fwd <- forward_network(X, net$weights, net$biases, acts)
    cost_history[i] <- acts$loss$f(Y, fwd$Y_hat) +
      decay_cost(net$weights, decay)
    stop_if_diverged(cost_history[i], i, step)
    if (!is.null(progress)) progress(i, cost_history[i])
    order <- NULL
    if (!is.null(batch_size)) {
      order <- sample(nrow(X))
      batch_order[i, ] <- order
    }
    epoch <- train_epoch(X, Y, net, fwd, order, batch_size, t, acts, decay,
                         update, step, hyper, updated)
    net <- epoch$net
    t <- epoch$t
  }
  list(net = net, Y_hat = fwd$Y_hat, cost_history = cost_history,
       batch_order = batch_order)
}

# Every check train_network() makes before it draws a weight, and what they
# give: the settings (network_spec()), the layer sizes c(D, hidden, K), the
# batch size against the rows, the network's functions against the targets,
# and the optimiser's hyper-parameters.
network_setup <- function(X, Y, ...) {
  check_network_data(X, Y)
  s <- network_spec(...)
  sizes <- c(ncol(X), s$hidden, ncol(Y))
  if (!is.null(s$batch_size)) check_batch_size(s$batch_size, nrow(X))
  acts <- check_network_config(Y, s)
  hyper <- check_hyperparameters(s$beta, s$rho, s$beta1, s$beta2, s$eps)
  list(spec = s, sizes = sizes, acts = acts, hyper = hyper)
}

#' Train the lecture's network, generalised
#'
#' The lecture's network with any number of hidden layers, any number of
#' outputs, a choice of activations, loss, initialiser and optimiser, and
#' optional bias terms. Layers are numbered as on the slides: \eqn{A_1 = X} is
#' the input layer, and layer k + 1 gets \eqn{Z_{k+1} = A_k W_k (+ B_k)},
#' \eqn{A_{k+1} = f(Z_{k+1})}; with L weight matrices, \eqn{A_{L+1} = \hat{Y}}.
#' The backward pass is the lecture's, layer by layer from the output; the
#' bias gradient (the lecture's "future homework exercise") is
#' \eqn{\partial J / \partial B_k} = `colSums(delta_{k+1})`.
#'
#' The default call is the lecture: `train_network(X, Y)` gives bit for bit
#' the `W_1`, `W_2`, `Y_hat` and `cost_history` of [train()]`(X, Y)`. `Y_hat`
#' comes from the last forward pass over all rows, made before the last
#' epoch's updates, as on the slides. `set.seed(seed)` first; then the
#' starting parameters are drawn by `init`, or given as `start` (R's stream
#' then moves past the draws they replace all the same, so mini-batches are
#' shuffled alike).
#'
#' @param X The (N, D) matrix of scaled inputs.
#' @param Y The (N, K) matrix of targets (one column per output; one-hot rows
#'   for a softmax output with cross-entropy).
#' @param ... The settings, by name (see the section Settings); any not
#'   given takes its default, the lecture's ([network_defaults()]). They are
#'   checked by [network_spec()] before anything else.
#' @param start `NULL` (the default: draw them), or the starting parameters:
#'   `list(W_1 = ..., W_L = ...)`, with `B_1` .. `B_L` when `bias` is `TRUE`,
#'   each a matrix shaped for the layer sizes `c(D, hidden, K)` (the list
#'   [init_network()] returns).
#' @param progress `NULL`, or a function called as `progress(i, cost)` at every
#'   iteration (with BFGS: at every evaluation of J), as in [train()].
#' @param updated `NULL`, or a function called as `updated(t)` after the t-th
#'   update (with `batch_size`, one an epoch's batch): a progress bar that
#'   counts updates.
#' @section Settings:
#' * `hidden`: The units of each hidden layer: a whole number (default 3,
#'   the lecture's one layer of 3) or a vector, e.g. `c(4, 3)` for two layers.
#' * `seed`: The seed set before the starting parameters are drawn (default
#'   1); `NULL` goes on from R's stream as it stands ([fit()] draws its test
#'   rows from it first).
#' * `iterations`: The number of iterations (default 10000): updates on all
#'   rows, or epochs with `batch_size`.
#' * `step`: The step size (learning rate), > 0 (default 5).
#' * `batch_size`: `NULL` (the default: every update on all rows), or B from
#'   1 to N: each iteration is then an epoch that starts with
#'   `order <- sample(N)` and makes one update per batch of B consecutive rows
#'   of that order (the last one shorter), each from the loss over its batch
#'   alone.
#' * `decay`: Weight decay (L2), >= 0 (default 0): `decay / 2` times the sum
#'   of every squared weight (not the biases) is added to every cost, and
#'   `decay * W_k` to every gradient.
#' * `activation`: The hidden layers' activation: `"sigmoid"` (the default)
#'   or any other of [get_activation()] but `"softmax"` and `"step"`.
#' * `output_activation`: The output layer's activation: `"sigmoid"` (the
#'   default), those above, or `"softmax"` (for K >= 2 columns).
#' * `loss`: The loss: `"half_sse"` (the default, the lecture's
#'   \eqn{J = \frac{1}{2} \sum (y - \hat{y})^2}), `"mse"`, `"mae"`,
#'   `"binary_cross_entropy"` or `"cross_entropy"` (see [get_loss()]).
#' * `init`: The initialiser of the weights: `"uniform"` (the default, the
#'   lecture's `runif()`), `"xavier"`, `"he"` or `"small_uniform"` (see
#'   [get_initialiser()]).
#' * `optimizer`: `"gd"` (the default, the lecture's gradient descent),
#'   `"momentum"`, `"rmsprop"`, `"adam"` (see [get_optimiser()]), or `"bfgs"`:
#'   every parameter flattened (W_1 .. W_L, then B_1 .. B_L, each column by
#'   column) through `stats::optim(method = "BFGS")` with the backward pass's
#'   gradient; `iterations` and `step` then play no part, and
#'   `batch_size` is refused.
#' * `bias`: `FALSE` (the default, the lecture's network) or `TRUE`: a bias
#'   row B_k (1, n_out) for every layer, starting at 0.
#' * `alpha`: The slope of `"leaky_relu"` below 0, > 0 (default 0.01).
#' * `beta`: Momentum's decay rate, in (0, 1) (default 0.9).
#' * `rho`: RMSprop's decay rate, in (0, 1) (default 0.9).
#' * `beta1`, `beta2`: Adam's decay rates of its averages of g and of g^2, in
#'   (0, 1) (defaults 0.9 and 0.999).
#' * `eps`: RMSprop's and Adam's epsilon, > 0 (default 1e-8).
#' * `maxit`: BFGS's maximum number of iterations (default 100, `optim`'s).
#' * `reltol`: BFGS's relative tolerance, >= 0 (default
#'   `sqrt(.Machine$double.eps)`, `optim`'s).
#' * `abstol`: BFGS's absolute tolerance (default `-Inf`: none).
#' @return A named list:
#'   * `W_1` .. `W_L`: the trained weight matrices, W_k (n_k, n_(k+1)) for the
#'     layer sizes `c(D, hidden, K)`;
#'   * `B_1` .. `B_L` (with `bias`): the trained (1, n_(k+1)) bias rows;
#'   * `Y_hat`: the (N, K) predictions of the last forward pass over all rows,
#'     before the last epoch's updates (with BFGS: at `optim()`'s answer);
#'   * `cost_history`: the cost over all rows before each iteration (with
#'     `decay`, its penalty included), a vector of length `iterations` (with
#'     BFGS: J at every evaluation, in order);
#'   * `W_1_init` .., `B_1_init` ..: the starting parameters;
#'   * with `batch_size`, `batch_order`: the (iterations, N) matrix of the
#'     epochs' row orders;
#'   * with BFGS, `counts` (evaluations of J and of the gradient) and
#'     `convergence` (0: converged, 1: `maxit` reached).
#' @seealso [train()], the slides' own; [fit()]; [evaluate_network()].
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))   # sleep, study
#' Y <- scale_target(matrix(c(75, 82, 93), 3))            # scores
#' net <- train_network(X, Y, iterations = 1000)   # the lecture's network
#' net$W_1
#' # Two hidden layers with biases, tanh, trained by Adam:
#' net <- train_network(X, Y, hidden = c(4, 3), activation = "tanh",
#'                      optimizer = "adam", step = 0.01, bias = TRUE,
#'                      iterations = 500)
#' net$Y_hat
#' # R's own BFGS:
#' train_network(X, Y, optimizer = "bfgs")$convergence
train_network <- function(X, Y, ..., start = NULL, progress = NULL,
                          updated = NULL) {
  setup <- network_setup(X, Y, ...)
  s <- setup$spec
  if (!is.null(s$seed)) set.seed(s$seed)
  drawn <- init_network(setup$sizes, s$init, NULL, s$bias)  # even under `start`:
  # the stream moves past the weights, so the batches are shuffled the same
  params <- if (is.null(start)) drawn else check_start(start, setup$sizes, s$bias)
  if (s$optimizer == "bfgs") {
    return(train_bfgs(X, Y, params, setup$acts, s$decay, s$maxit, s$reltol,
                      s$abstol, progress))
  }
  net <- new_net(params, s$optimizer)
  trained <- train_loop(X, Y, net, setup$acts, s, setup$hyper, progress, updated)
  net <- trained$net
  stop_if_weights_diverged(c(net$weights, net$biases), s$iterations, s$step)
  result <- network_result(net$weights, net$biases, trained$Y_hat,
                           trained$cost_history, params)
  if (!is.null(trained$batch_order)) result$batch_order <- trained$batch_order
  result
}

#' The outputs of a trained network
#'
#' The trained network of `result` ([train()]'s, [train_network()]'s or
#' [fit()]'s) applied to the rows of `X`, with the settings it was trained
#' with: its outputs on its final parameters (what [predict.backprop_fit()]
#' gives for a fit).
#'
#' @inheritParams evaluate_network
#' @return The (M, K) matrix of outputs, `Y_hat`.
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))   # sleep, study
#' Y <- scale_target(matrix(c(75, 82, 93), 3))            # scores
#' net <- train(X, Y, iterations = 1000)
#' network_output(net, X)
network_output <- function(result, X, ...) {
  s <- network_settings(...)
  acts <- network_acts(s)
  L <- length(s$hidden) + 1
  weights <- unname(result[paste0("W_", seq_len(L))])
  biases <- if (s$bias) unname(result[paste0("B_", seq_len(L))])
  forward_network(X, weights, biases, acts)$Y_hat
}

#' Apply a trained network to data
#'
#' The trained network of `result` applied to `X` ([network_output()]), with
#' the settings it was trained with: its predictions and their cost against
#' `Y`.
#'
#' @param result The list a trainer returned: its `W_1` .. `W_L` (and
#'   `B_1` .. `B_L` with bias) are used.
#' @param X The (M, D) matrix of scaled inputs, e.g. held-out rows.
#' @param Y The (M, K) matrix of targets for those rows.
#' @param ... Settings of the network, by name: [train_network()]'s
#'   arguments (`hidden`, `seed`, `activation`, `loss`, `bias`, ...); any not
#'   given take [train_network()]'s defaults (see [network_defaults()]).
#'   Give those `result` was trained with.
#' @return A named list:
#'   * `Y_hat`: the (M, K) predictions;
#'   * `cost`: one number, the loss of `Y_hat` against `Y` (without weight
#'     decay).
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))   # sleep, study
#' Y <- scale_target(matrix(c(75, 82, 93), 3))            # scores
#' net <- train(X, Y, iterations = 1000)
#' evaluate_network(net, X[1:2, , drop = FALSE], Y[1:2, , drop = FALSE])
evaluate_network <- function(result, X, Y, ...) {
  check_network_data(X, Y)
  acts <- check_network_config(Y, network_spec(...))
  Y_hat <- network_output(result, X, ...)
  list(Y_hat = Y_hat, cost = acts$loss$f(Y, Y_hat))
}
