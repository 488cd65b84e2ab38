# The lecture in R alone: the slides' numbers, the frozen reference, and the
# slides' script against its functions.

test_that("train() reproduces what the slides print", {
  data <- lecture_data()
  fit <- train(data$X, data$Y)
  expect_equal(fit$W_1, matrix(c(2.1169800, -0.7233191, 1.6157951, 0.4304933,
                                 -1.4547416, -0.6199876), 2), tolerance = 1e-7)
  expect_equal(fit$W_2, matrix(c(2.431735, 1.227946, -3.645386)), tolerance = 1e-6)
  expect_equal(fit$Y_hat, matrix(c(0.7499998, 0.8200548, 0.9298944)),
               tolerance = 1e-7)
  expect_identical(names(fit), c("W_1", "W_2", "Y_hat", "cost_history",
                                 "W_1_init", "W_2_init"))
})

test_that("train() matches the frozen reference, quantity by quantity", {
  data <- lecture_data()
  fit <- train(data$X, data$Y)
  for (quantity in names(fit)) {
    expect_close(fit[[quantity]], read_reference("lecture", quantity))
  }
  # drawn from set.seed(1); runif(9): the very doubles
  expect_identical(fit$W_1_init, read_reference("lecture", "W_1_init"))
  expect_identical(fit$W_2_init, read_reference("lecture", "W_2_init"))
})

test_that("the slides' script and train() are the same computation, exactly", {
  lecture <- new.env()
  utils::capture.output(sys.source(lecture_script(), envir = lecture))
  data <- lecture_data()
  fit <- train(data$X, data$Y)
  expect_identical(fit$W_1, lecture$W_1)
  expect_identical(fit$W_2, lecture$W_2)
  expect_identical(fit$Y_hat, lecture$Y_hat)
  expect_identical(fit$cost_history, lecture$cost_hist)
})

test_that("train_network()'s default call is train(), exactly", {
  data <- lecture_data()
  expect_identical(train_network(data$X, data$Y), train(data$X, data$Y))
  study <- load_scaled(data_file("study.csv"))
  expect_identical(
    train_network(study$X, study$Y, hidden = 5, seed = 42, iterations = 300, step = 0.5),
    train(study$X, study$Y, hidden = 5, seed = 42, iterations = 300, step = 0.5))
})

test_that("fit() picks train() for the lecture and train_network() otherwise", {
  data <- lecture_data()
  expect_identical(choose_trainer(data$Y), "train")
  expect_identical(choose_trainer(data$Y, hidden = c(4, 3)), "train_network")
  expect_identical(choose_trainer(data$Y, bias = TRUE), "train_network")
  expect_identical(choose_trainer(cbind(data$Y, 1 - data$Y)), "train_network")
  iris <- fit_file(data_file("iris.csv"), "onehot", iterations = 3)
  expect_identical(dim(iris$result$Y_hat), c(150L, 3L))
})
