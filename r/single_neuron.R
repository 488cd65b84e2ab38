# Document 000's network: one sigmoid neuron, Xavier initialisation, squared
# error. Only definitions: safe to source() (with r/network.R,
# r/activations.R, r/losses.R and r/initialisers.R). Python twin:
# py/backprop/single_neuron.py, same functions in the same order.
#
# The document: D inputs (3 there) -> one sigmoid neuron with weights w (D, 1)
# and a bias b (starting at 0) -> the output a; loss L = 1/2 (a - y)^2;
# gradients dL/dw = (a - y) a (1 - a) x and dL/db = (a - y) a (1 - a);
# learning rate 0.005; progress every 100 epochs.
#
# Where this differs from the document, and why:
# - The document gives no data and updates per example. Here the neuron
#   trains on a table X (N, D), Y (N, 1) (e.g. data/study.csv, scaled like the
#   lecture: features / column max, score / 100) with the *batch* gradient,
#   summed over the rows, which is the gradient of J = 1/2 sum (a - y)^2, the
#   lecture's cost. One epoch is one update.
# - The document's progress print fails at epoch 0: '{:.3f}%'.format is mapped
#   over b, by then a 1x1 numpy array (x a (3, 1) column), whose rows numpy
#   refuses to format with .3f (TypeError); and the format puts a stray %
#   after every number. Here each number is printed with %.3f and no %.
#   (With a flat x of shape (3,) the print runs, but then
#   w - learning_rate * dl_dw broadcasts (3, 1) - (3,) into a (3, 3) w.)
# - The document prints (a - y) ** 2 as the loss, while its loss is
#   1/2 (a - y)^2. Here the progress line prints the loss J itself.
# As in the document's loop, a progress line shows w and b after the epoch's
# update and the loss of the forward pass before it.

# w ~ N(0, 2 / (n_in + n_out)): rnorm after set.seed(seed), (n_in, n_out).
# The variance is 2 / (n_in + n_out), so the standard deviation passed to
# rnorm is its square root, as in the document's np.random.normal; the draw
# is draw_xavier() of r/initialisers.R.
init_xavier <- function(n_in, n_out, seed) {
  set.seed(seed)
  draw_xavier(n_in, n_out)
}

# Z = X w + b and A = sigmoid(Z), row by row: the document's z = w'x + b.
neuron_forward <- function(X, w, b) {
  Z <- X %*% w + b          # (N, 1) = (N, D) %*% (D, 1)
  A <- sigmoid(Z)
  list(Z = Z, A = A)
}

# dJ/dw and dJ/db for J = 1/2 sum (a - y)^2: the document's per-row terms,
# summed.
neuron_gradients <- function(X, Y, A) {
  delta <- (A - Y) * A * (1 - A)   # (N, 1): dL/da * da/dz, row by row
  dL_dw <- t(X) %*% delta          # (D, 1) = (D, N) %*% (N, 1)
  dL_db <- sum(delta)
  list(dL_dw = dL_dw, dL_db = dL_db)
}

# The document's progress line, mended: every number "%.3f", no stray "%".
format_neuron_progress <- function(epoch, w, b, loss) {
  sprintf("Epoch %d: w = [%s], b = %.3f, loss = %.3f", epoch,
          paste(sprintf("%.3f", as.vector(w)), collapse = ", "), b, loss)
}

check_single_neuron_args <- function(X, Y, seed, epochs, rate, every) {
  check_data(X, Y)
  check_seed(seed)
  check_count("epochs", epochs, 0)
  check_positive("rate", rate)
  check_count("every", every, 1)
}

# Batch gradient descent on one sigmoid neuron; progress every `every` epochs.
# X (N, D) and Y (N, 1) scaled into [0, 1]. With verbose the progress lines
# are printed as they come, as in the document; they are returned either way,
# so both languages' lines can be compared. progress_w is (K, D): w after each
# reported epoch's update; progress_loss = loss_history[progress_epoch + 1].
train_single_neuron <- function(X, Y, seed = 1, epochs = 1000, rate = 0.005,
                                every = 100, verbose = FALSE) {
  check_single_neuron_args(X, Y, seed, epochs, rate, every)
  w_init <- init_xavier(ncol(X), 1, seed)   # (D, 1)
  w <- w_init
  b <- 0
  loss_history <- rep(NA_real_, epochs)
  progress_epoch <- integer(0)
  progress_w <- matrix(0, nrow = 0, ncol = ncol(X))
  progress_b <- numeric(0)
  progress_loss <- numeric(0)
  for (epoch in seq_len(epochs) - 1) {       # 0, 1, ..., epochs - 1
    A <- neuron_forward(X, w, b)$A                    # forward propagation
    loss <- half_sse(Y, A)                            # J = 1/2 sum (a - y)^2
    loss_history[epoch + 1] <- loss
    stop_if_diverged(loss, epoch + 1, rate, what = "the loss")
    grad <- neuron_gradients(X, Y, A)                 # backpropagation
    w <- w - rate * grad$dL_dw                        # gradient descent
    b <- b - rate * grad$dL_db
    if (epoch %% every == 0) {   # progress, as the document's loop prints it
      progress_epoch <- c(progress_epoch, as.integer(epoch))
      progress_w <- rbind(progress_w, as.vector(w))
      progress_b <- c(progress_b, b)
      progress_loss <- c(progress_loss, loss)
      if (verbose) {
        cat(format_neuron_progress(epoch, w, b, loss), "\n", sep = "")
      }
    }
  }
  lines <- character(0)
  for (k in seq_along(progress_epoch)) {
    lines <- c(lines, format_neuron_progress(progress_epoch[k], progress_w[k, ],
                                      progress_b[k], progress_loss[k]))
  }
  list(w = w, b = b, loss_history = loss_history,
       progress_epoch = progress_epoch, progress_w = unname(progress_w),
       progress_b = progress_b, progress_loss = progress_loss,
       lines = lines, w_init = w_init)
}
