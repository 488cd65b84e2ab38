# A fit (fit_file()'s answer): predict(), evaluate(), print() and summary().

test_that("predict() gives the network's output on its final weights", {
  fit <- fit_file(data_file("lecture.csv"), iterations = 500)
  raw <- read_data(data_file("lecture.csv"))$x
  on_final <- forward_network(fit$X, unname(fit$params), NULL,
                              list(hidden = get_activation("sigmoid"),
                                   output = get_activation("sigmoid")))$Y_hat
  expect_identical(predict(fit, raw), on_final)
  # not the slides' Y_hat, which comes from before the last update
  expect_false(identical(predict(fit, raw), fit$result$Y_hat))
  expect_identical(predict(fit, raw[2, ]), on_final[2, , drop = FALSE])
  expect_identical(predict(fit, as.data.frame(raw)), on_final)
})

test_that("a class fit predicts class names and scores as its report does", {
  fit <- fit_file(data_file("iris.csv"), "onehot", hidden = 4,
                  output_activation = "softmax", loss = "cross_entropy",
                  step = 0.01, iterations = 100)
  iris <- utils::read.csv(data_file("iris.csv"))
  rows <- as.matrix(iris[, 1:4])
  classes <- predict(fit, rows, type = "class")
  expect_true(all(classes %in% fit$classes))
  scored <- evaluate(fit, rows, iris$species)
  expect_identical(scored$accuracy, fit$result$train_accuracy)
  expect_identical(unclass(scored$confusion), unclass(fit$result$train_confusion))
  expect_identical(scored$accuracy, mean(classes == iris$species))
})

test_that("bad rows, targets and types are refused in one line", {
  fit <- fit_file(data_file("lecture.csv"), iterations = 10)
  expect_error(predict(fit, matrix(1:3, 1)), "numeric matrix with 2 columns")
  expect_error(predict(fit, "x"), "numeric matrix with 2 columns")
  expect_error(predict(fit, c(1, Inf)), "only finite numbers")
  expect_error(predict(fit, c(1, 2), type = "class"), "needs a class target")
  expect_error(predict(fit, c(1, 2), type = "prob"), "type")
  expect_error(evaluate(fit, c(1, 2), "a"), "targets must be numbers")
})

test_that("print() and summary() say what the network is and how it was trained", {
  fit <- fit_file(data_file("lecture.csv"), iterations = 500)
  printed <- capture.output(print(fit))
  expect_identical(printed[1], "a 2-3-1 network with 9 weights")
  expect_match(printed[3], "trained on 3 rows by gd \\(step 5\\): 500 iterations")
  expect_identical(printed[4], sprintf("final cost %.7g", fit$cost_history[500]))
  summarised <- capture.output(print(summary(fit)))
  expect_identical(summarised[seq_along(printed)], printed)
  expect_true(all(c("$W_1", "$W_2") %in% summarised))
})
