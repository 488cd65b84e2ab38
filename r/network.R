# The lecture's network (inputs -> hidden sigmoid layer -> one sigmoid output)
# as functions with parameters. Only definitions: safe to source() after
# checks.R.
# Python twin: py/backprop/network.py, same functions in the same order.

sigmoid <- function(Z) {
  1 / (1 + exp(-Z))
}

# The slides' form of f'(z). It is NaN for z below about -710 (exp overflows
# to Inf, Inf / Inf); kept as written because parity depends on the formula,
# and train() stops with a clear error instead.
sigmoid_prime <- function(Z) {
  exp(-Z) / ((1 + exp(-Z))^2)
}

# J = 1/2 sum (y - y_hat)^2, the lecture's cost.
cost <- function(Y, Y_hat) {
  0.5 * sum((Y - Y_hat)^2)
}

# Each feature column divided by its maximum, so it lies in [0, 1].
scale_features <- function(x) {
  colmax <- apply(x, 2, max)
  t(t(x) / colmax)
}

# Scores out of 100 onto [0, 1].
scale_target <- function(y) {
  y / 100
}

# runif() fills a matrix by column; W_1 is drawn before W_2, as on the slides.
# A named list, the shape train()'s `start` takes.
init_weights <- function(input_size, hidden_size, output_size, seed) {
  set.seed(seed)
  W_1 <- matrix(runif(input_size * hidden_size),
                nrow = input_size, ncol = hidden_size)
  W_2 <- matrix(runif(hidden_size * output_size),
                nrow = hidden_size, ncol = output_size)
  list(W_1 = W_1, W_2 = W_2)
}

forward <- function(X, W_1, W_2) {
  Z_2 <- X %*% W_1          # (N, H) = (N, D) %*% (D, H)
  A_2 <- sigmoid(Z_2)
  Z_3 <- A_2 %*% W_2        # (N, 1) = (N, H) %*% (H, 1)
  Y_hat <- sigmoid(Z_3)
  list(Z_2 = Z_2, A_2 = A_2, Z_3 = Z_3, Y_hat = Y_hat)
}

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

# Gradient descent as on the slides. Y_hat comes from the last forward pass,
# made before the last update, exactly as the slides print it. The starting
# weights are drawn after set.seed(seed), or given as start = list(W_1, W_2).
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
