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

#' Train document 000's single sigmoid neuron
#'
#' Document 000's network: D inputs, one sigmoid neuron with weights w (D, 1)
#' drawn by Xavier initialisation (`rnorm()` after `set.seed(seed)`, standard
#' deviation `sqrt(2 / (D + 1))`) and a bias b starting at 0, the loss
#' \eqn{L = \frac{1}{2} (a - y)^2}, the gradients
#' \eqn{dL/dw = (a - y) a (1 - a) x} and \eqn{dL/db = (a - y) a (1 - a)}.
#' Where the document updates per example, this trains by batch gradient
#' descent on a table, the gradient summed over the rows (that of the
#' lecture's J): one epoch is one update. A progress line, every `every`
#' epochs, shows w and b after the epoch's update and the loss of the forward
#' pass before it, as in the document's loop, mended: every number printed
#' with three decimals and no stray "%", and the loss J itself, where the
#' document prints \eqn{(a - y)^2}.
#'
#' @param X The (N, D) matrix of inputs scaled into \[0, 1\] (as
#'   [scale_features()] scales them).
#' @param Y The (N, 1) matrix of targets in \[0, 1\] (as [scale_target()]).
#' @param seed The seed set before the weights are drawn (default 1).
#' @param epochs The number of epochs, each one update (default 1000).
#' @param rate The learning rate, > 0 (default 0.005, the document's).
#' @param every Report progress at every epoch that is a multiple of `every`,
#'   counting from 0 (default 100, the document's).
#' @param verbose `TRUE` prints the progress lines as they come, as the
#'   document does; `FALSE` (the default) only returns them.
#' @return A named list:
#'   * `w`: the (D, 1) trained weights; `b`: the trained bias (a number);
#'   * `loss_history`: the loss J before each epoch's update, length `epochs`;
#'   * `progress_epoch`: the reported epochs (integers from 0), length R;
#'   * `progress_w`: the (R, D) matrix of w after each reported epoch's update;
#'   * `progress_b`, `progress_loss`: b after, and the loss before, each
#'     reported epoch's update (`progress_loss` is
#'     `loss_history[progress_epoch + 1]`), length R;
#'   * `lines`: the R progress lines, as text;
#'   * `w_init`: the (D, 1) starting weights.
#' @export
#' @examples
#' X <- scale_features(matrix(c(3, 5, 10, 5, 1, 2), 3))
#' Y <- scale_target(matrix(c(75, 82, 93), 3))
#' neuron <- train_single_neuron(X, Y, epochs = 500, verbose = TRUE)
#' neuron$w
#' neuron$b
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
