# train_restarts(): restart 1 is the single run with the seed; with
# mini-batches every restart draws the single run's shuffles, so the
# restarts differ only in where they start.

test_that("restart 1 is the single run, its shuffles included", {
  iris <- load_file(data_file("iris.csv"), "onehot")
  settings <- list(hidden = 4, activation = "tanh", output_activation = "softmax",
                   loss = "cross_entropy", optimizer = "adam", bias = TRUE,
                   step = 0.01, iterations = 20, batch_size = 16, seed = 7)
  together <- do.call(train_restarts, c(list(iris$X, iris$Y, 3), settings))
  single <- do.call(fit, c(list(iris$X, iris$Y), settings))
  expect_identical(together$batch_order, single$batch_order)
  expect_identical(together$cost_histories[, 1], single$cost_history)
  expect_identical(together$W_1_starts[1, , ], single$W_1_init)
  expect_false(identical(together$W_1_starts[2, , ], single$W_1_init))
})

test_that("with held-out rows too, restart 1 is the single run", {
  iris <- load_file(data_file("iris.csv"), "onehot")
  settings <- list(hidden = 4, output_activation = "softmax",
                   loss = "cross_entropy", optimizer = "momentum", step = 0.05,
                   iterations = 20, batch_size = 16, seed = 11,
                   test_fraction = 0.3)
  together <- do.call(fit, c(list(iris$X, iris$Y, restarts = 3), settings))
  single <- do.call(fit, c(list(iris$X, iris$Y), settings))
  expect_identical(together$test_rows, single$test_rows)
  expect_identical(together$batch_order, single$batch_order)
  expect_identical(together$cost_histories[, 1], single$cost_history)
})

test_that("restarts refuse BFGS in one message", {
  data <- lecture_data()
  expect_error(train_restarts(data$X, data$Y, 2, optimizer = "bfgs"),
               "restarts cannot be combined with optimizer 'bfgs' (yet)", fixed = TRUE)
})
