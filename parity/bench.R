# Timing R's side of `make bench` inside R, so rpy2's conversions are not
# charged to R. Sourced by parity/bench.py into the session holding r/network.R.

# The best elapsed time of `repeats` calls of `run()`.
best_time <- function(run, repeats) {
  min(vapply(seq_len(repeats), function(k) system.time(run())[["elapsed"]],
             numeric(1)))
}

# The slides' loop exactly as written in r/lecture.R, as a function of the data.
slides_loop <- function(X, Y) {
  set.seed(1)
  W_1 <- matrix(runif(6), nrow = 2, ncol = 3)
  W_2 <- matrix(runif(3), nrow = 3, ncol = 1)
  cost_hist <- rep(NA, 10000)
  scalar <- 5
  for(i in 1:10000){
    Z_2 <- X %*% W_1
    A_2 <- sigmoid(Z_2)
    Z_3 <- A_2 %*% W_2
    Y_hat <- sigmoid(Z_3)
    cost_hist[i] <- cost(Y, Y_hat)
    delta_3 <- -(Y - Y_hat)*sigmoid_prime(Z_3)
    djdw2 <- t(A_2) %*% delta_3
    delta_2 <- delta_3 %*% t(W_2) * sigmoid_prime(Z_2)
    djdw1 <- t(X) %*% delta_2
    W_1 <- W_1 - scalar * djdw1
    W_2 <- W_2 - scalar * djdw2
  }
  list(W_1 = W_1, W_2 = W_2)
}

time_lecture_training <- function(X, Y, repeats) {
  c(train = best_time(function() train(X, Y), repeats),
    slides_loop = best_time(function() slides_loop(X, Y), repeats))
}
