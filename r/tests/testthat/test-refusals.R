# Every bad input stops with one message naming what was expected and what
# arrived (the same messages the Python twin gives; parity/tests checks that).

refusals <- list(
  list(list(hidden = 0), "hidden must be a whole number >= 1; got 0"),
  list(list(hidden = 2.5), "hidden must be a whole number >= 1; got 2.5"),
  list(list(seed = 2^31), "seed must be in [-2147483647, 2147483647]; got 2147483648"),
  list(list(seed = 1.5), "seed must be a whole number; got 1.5"),
  list(list(iterations = -1), "iterations must be a whole number >= 0; got -1"),
  list(list(step = 0), "step must be a finite number > 0; got 0"),
  list(list(step = NaN), "step must be a finite number > 0; got NaN"),
  list(list(step = "5"), "step must be a finite number > 0; got \"5\"")
)

test_that("train() refuses bad settings, one message each", {
  data <- lecture_data()
  for (refusal in refusals) {
    expect_error(do.call(train, c(list(data$X, data$Y), refusal[[1]])),
                 refusal[[2]], fixed = TRUE)
  }
  expect_error(train(data$X, cbind(data$Y, data$Y)),
               "Y must be a (3, 1) matrix to match X; got (3, 2)", fixed = TRUE)
  expect_error(train(data$X > 0, data$Y), "X and Y must be numeric matrices",
               fixed = TRUE)
  X <- data$X
  X[1, 1] <- NA
  expect_error(train(X, data$Y), "X and Y must hold only finite numbers", fixed = TRUE)
})

test_that("train_network() and the gradient check refuse bad settings", {
  data <- lecture_data()
  expect_error(train_network(data$X, data$Y, activation = "swish"),
               "activation must be one of 'sigmoid', 'tanh'", fixed = TRUE)
  expect_error(train_network(data$X, data$Y, activation = "softmax"),
               "activation must not be 'softmax'", fixed = TRUE)
  expect_error(train_network(data$X, data$Y, output_activation = "step"),
               "output_activation must not be 'step'", fixed = TRUE)
  expect_error(train_network(data$X, data$Y, hidden = c(3, 0)),
               "hidden must be one or more whole numbers >= 1", fixed = TRUE)
  expect_error(train_network(data$X, data$Y, alpha = -1),
               "alpha must be a finite number > 0; got -1", fixed = TRUE)
  expect_error(train_network(data$X, data$Y, beta = 1),
               "beta must be a number in (0, 1); got 1", fixed = TRUE)
  expect_error(train_network(data$X, data$Y, eps = 0),
               "eps must be a finite number > 0; got 0", fixed = TRUE)
  expect_error(gradient_check(data$X, data$Y, h = 0),
               "h must be a finite number > 0; got 0", fixed = TRUE)
  expect_error(gradient_check(data$X, data$Y, hiden = 3),
               "unknown setting 'hiden'", fixed = TRUE)
  expect_error(load_scaled(data_file("lecture.csv"), "ordinal"),
               "target must be one of 'numeric', 'onehot', 'binary'; got 'ordinal'",
               fixed = TRUE)
})

test_that("a diverging step names the iteration", {
  X <- matrix(c(0.5, 1, 1, 0.5), 2)
  Y <- matrix(c(0.01, 0.02))
  expect_error(train(X, Y, step = 1e5),
               "training diverged at iteration 3: the cost is NaN; try a step smaller than 100000",
               fixed = TRUE)
})

test_that("the gradient check passes where the backward pass is right", {
  data <- lecture_data()
  ratios <- unlist(gradient_check(data$X, data$Y, hidden = c(3, 2), bias = TRUE,
                                  activation = "leaky_relu"))
  expect_identical(names(ratios), c("W_1", "W_2", "W_3", "B_1", "B_2", "B_3"))
  expect_true(all(ratios < 1e-7))
})
