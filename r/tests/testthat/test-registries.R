# The tables of rules by name (activations, losses, initialisers, optimisers):
# get_activation() and its kin look a name up there. Every element-wise
# activation of the table is checked against its slope, so a new entry is
# checked here without a line of this file changing.

test_that("a lookup gives the table's entry under its name", {
  relu <- get_activation("relu")
  expect_identical(relu$name, "relu")
  expect_identical(relu$f, activations$relu$f)
  expect_identical(relu$prime, activations$relu$prime)
  expect_null(get_activation("softmax")$prime)
  expect_null(get_activation("step")$prime)
  expect_identical(get_loss("mse"),
                   list(name = "mse", f = mse, gradient = mse_gradient))
  expect_identical(get_initialiser("he"), draw_he)
  expect_identical(get_optimiser("adam"), adam_update)
})

test_that("leaky_relu's alpha reaches f and f'", {
  leaky <- get_activation("leaky_relu", alpha = 0.3)
  expect_identical(leaky$f(matrix(c(-1, 2))), matrix(c(-0.3, 2)))
  expect_identical(leaky$prime(matrix(c(-1, 2))), matrix(c(0.3, 1)))
})

test_that("an unknown name is refused, the table's names listed", {
  expect_error(get_activation("swish"),
               "activation must be one of 'sigmoid', 'tanh', ", fixed = TRUE)
  expect_error(get_loss("l1"), "loss must be one of 'half_sse', 'mse', ",
               fixed = TRUE)
  expect_error(get_initialiser("glorot"),
               "init must be one of 'uniform', 'xavier', 'he', ", fixed = TRUE)
  # bfgs is in the table, but moves every weight at once: no update of one matrix
  expect_true("bfgs" %in% names(optimisers))
  expect_error(get_optimiser("bfgs"),
               "optimizer must be one of 'gd', 'momentum', 'rmsprop', 'adam'; got 'bfgs'",
               fixed = TRUE)
})

test_that("every element-wise derivative is its function's slope", {
  Z <- matrix(c(-3, -0.5, 0.25, 2, 1.5, -1, 4, -2.5), 2)  # away from z = 0
  h <- 1e-6
  elementwise <- names(Filter(function(entry) !is.null(entry$prime), activations))
  expect_true(all(c("sigmoid", "tanh", "relu", "leaky_relu", "linear") %in%
                    elementwise))
  expect_false(any(c("softmax", "step") %in% elementwise))
  for (name in elementwise) {
    act <- get_activation(name, alpha = 0.2)
    slope <- (act$f(Z + h) - act$f(Z - h)) / (2 * h)
    expect_true(all(abs(act$prime(Z) - slope) <= 1e-10 + 1e-8 * abs(slope)),
                label = name)
  }
})

test_that("an optimiser's state starts as zeros, one per name of its entry", {
  W <- matrix(1, 2, 3)
  zeros <- matrix(0, 2, 3)
  expect_identical(init_optimiser_state("adam", W), list(m = zeros, v = zeros))
  expect_identical(init_optimiser_state("momentum", W), list(v = zeros))
  expect_length(init_optimiser_state("gd", W), 0)
  expect_length(init_optimiser_state("bfgs", W), 0)
})
