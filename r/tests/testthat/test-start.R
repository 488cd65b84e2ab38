# `start`: training from given parameters draws nothing and reports them as
# the *_init matrices.

test_that("train() honours start", {
  data <- lecture_data()
  drawn <- train(data$X, data$Y, iterations = 50)
  start <- list(W_2 = drawn$W_2_init, W_1 = drawn$W_1_init)  # any order
  expect_identical(train(data$X, data$Y, iterations = 50, seed = 99, start = start),
                   drawn)
  other <- list(W_1 = matrix(0, 2, 3), W_2 = matrix(1, 3, 1))
  fit <- train(data$X, data$Y, iterations = 1, start = other)
  expect_identical(fit$W_1_init, other$W_1)
  expect_identical(fit$Y_hat, forward(data$X, other$W_1, other$W_2)$Y_hat)
})

test_that("train_network() honours start, biases included", {
  study <- load_scaled(data_file("study.csv"))
  args <- list(study$X, study$Y, hidden = c(3, 2), bias = TRUE,
               optimizer = "adam", step = 0.01, iterations = 40)
  drawn <- do.call(train_network, args)
  start <- drawn[grep("_init$", names(drawn))]
  names(start) <- sub("_init$", "", names(start))
  expect_identical(do.call(train_network, c(args, list(seed = 7, start = start))),
                   drawn)
})

test_that("a bad start is refused with one clear message", {
  data <- lecture_data()
  W <- list(W_1 = matrix(1, 2, 3), W_2 = matrix(1, 3, 1))
  expect_error(train(data$X, data$Y, start = W["W_1"]),
               "start must hold exactly W_1, W_2; got \"W_1\"", fixed = TRUE)
  expect_error(train(data$X, data$Y, start = list(W_1 = matrix(1, 3, 2), W_2 = W$W_2)),
               "W_1 of start must be a (2, 3) matrix of finite numbers; got (3, 2)",
               fixed = TRUE)
  expect_error(train(data$X, data$Y, start = list(W_1 = W$W_1, W_2 = matrix(NaN, 3, 1))),
               "W_2 of start must be a (3, 1) matrix", fixed = TRUE)
  expect_error(train_network(data$X, data$Y, bias = TRUE, start = W),
               "start must hold exactly W_1, W_2, B_1, B_2", fixed = TRUE)
})
