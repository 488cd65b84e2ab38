# The R package's own documentation (?`backprop-package`) and the imports the
# files under r/ need from R's standard packages. No Python twin: see R_ALONE
# in py/tests/test_twins.py. `@aliases NULL backprop-package` leaves the
# alias `backprop` (roxygen2's default for a package) to ?backprop, the
# lecture's function.

#' backprop: back propagation from scratch, the lecture's network in R
#'
#' The R code of a university lecture (Stats 102B, week 3, lecture 3: back
#' propagation for a 2-3-1 sigmoid network trained by gradient descent), as
#' functions with parameters. The slides' network, its forward pass, cost,
#' back propagation and gradient descent are [forward()], [cost()],
#' [backprop()] and [train()]; [train_network()] generalises it (any hidden
#' layers, outputs, activations, losses, initialisers, optimisers, biases,
#' mini-batches, BFGS), and [fit()] picks the trainer for the settings given.
#'
#' Every R file has a Python twin in the project's `py/backprop/` (the
#' Python package `backprop`), with the same file stem and the same functions
#' in the same order; the project's parity harness runs both on the same data
#' and seeds and shows that they agree, number by number.
#'
#' @section Where to start:
#' * [train()]: the slides' call `train(X, Y)` on the slides' data;
#' * [train_network()]: the same network and more;
#' * [fit()]: from data and settings to a trained network, the trainer chosen
#'   for you; [fit_file()] reads the data from a CSV first and returns a fit
#'   with `predict()`, [evaluate()], `print()` and `summary()` methods.
#'
#' @keywords internal
#' @aliases NULL backprop-package
#' @importFrom stats runif rnorm setNames optim predict
#' @importFrom utils read.csv count.fields head modifyList
"_PACKAGE"
