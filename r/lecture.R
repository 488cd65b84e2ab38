# Stats 102B, week 3, lecture 3: back propagation, as on the slides.
# Run with `Rscript r/lecture.R`. Two typos of the slides are mended: an extra
# `)` at the end of the first `delta_3` line, and `djdwl` (for `djdw1`).
# Lines `# ---- name ----` cut the script where the slides cut it: the
# teaching site and the notebook (`make site`, `make notebook`) show it chunk
# by chunk beside the same chunks of py/backprop/lecture.py.

# ---- cli ----
# `Rscript r/lecture.R --plot DIR` also writes the slides' two cost plots.
plot_to <- commandArgs(trailingOnly = TRUE)
if (length(plot_to) > 0 && (length(plot_to) != 2 || plot_to[1] != "--plot")) {
  message("usage: Rscript r/lecture.R [--plot DIR]")
  quit(status = 2)
}

# ---- sigmoid ----
sigmoid <- function(Z){
  1/(1 + exp(-Z))
}

# ---- data ----
# training data
x <- matrix(c(
  3, 5,
  5, 1,
  10, 2), ncol = 2, byrow=TRUE)
y <- matrix(c(75,82,93))

# scaling the data
colmax <- apply(x,2,max)
# divide the x values by the column max, so it is on a scale from 0 to 1
X <- t(t(x)/colmax)
# y has a range of 100, so this puts it on a scale from 0 to 1 also
Y <- y/100

# ---- sizes ----
input_layer_size <- 2
output_layer_size <- 1
hidden_layer_size <- 3

# ---- forward ----
# define weight matrices W_1 (2 x 3) and W_2 (3x1)
W_1 <- matrix(1, nrow = input_layer_size, ncol = hidden_layer_size)
W_2 <- matrix(1, nrow=hidden_layer_size, ncol=output_layer_size)

# Matrix Z
Z_2 <- X %*% W_1

# apply the sigmoid function to the matrix Z_2
A_2 <- sigmoid(Z_2)

# multiply the A matrix by the weight matrix
Z_3 <- A_2 %*% W_2

# applying the sigmoid function to the Z_3 matrix produces our Y-hats
Y_hat <- sigmoid(Z_3)

# ---- cost ----
# define our cost function to quantify the error between Y and Y-hat
cost <- function(y,y_hat){
  0.5*sum((y - y_hat)^2)
}
print(cost(Y,Y_hat))

# ---- sigmoidprime ----
# we define a function to calculate the derivative of the sigmoid function
sigmoidprime <- function(z){
  exp(-z)/((1+exp(-z))^2)
}

# ---- delta_3 ----
delta_3 <- -(Y - Y_hat) * sigmoidprime(Z_3)
djdw2 <- t(A_2) %*% delta_3

# ---- delta_2 ----
delta_2 <- delta_3 %*% t(W_2) * sigmoidprime(Z_2)
djdw1 <- t(X) %*% delta_2

# ---- init ----
#initialize our weight matrices again with random weights
set.seed(1)
W_1 <- matrix(runif(6), nrow = input_layer_size, ncol = hidden_layer_size)
W_2 <- matrix(runif(3), nrow = hidden_layer_size, ncol = output_layer_size)

# for cost tracking
cost_hist <- rep(NA, 10000)

scalar <- 5

# ---- descent ----
for(i in 1:10000){
  # this takes the current weights and calculates y-hat
  Z_2 <- X %*% W_1
  A_2 <- sigmoid(Z_2)
  Z_3 <- A_2 %*% W_2
  Y_hat <- sigmoid(Z_3)
  cost_hist[i] <- cost(Y, Y_hat)
  # this part calculates the gradient at the current y-hat
  delta_3 <- -(Y - Y_hat)*sigmoidprime(Z_3)
  djdw2 <- t(A_2) %*% delta_3
  delta_2 <- delta_3 %*% t(W_2) * sigmoidprime(Z_2)
  djdw1 <- t(X) %*% delta_2
  # this updates the weights based on the gradient
  W_1 <- W_1 - scalar * djdw1
  W_2 <- W_2 - scalar * djdw2
  # repeat
}

# ---- results ----
print(W_1) # resulting coefficients are basically uninterpretable
print(W_2)
print(Y_hat) # these match well (probably overfit)
print(Y)

# ---- plots ----
# The slides then plot the cost history. `Rscript r/lecture.R --plot DIR`
# writes the two plots as PNGs, as `python -m backprop.lecture --plot DIR`
# does; an interactive R with a screen (RStudio, R.app, R on a desktop) draws
# them as on the slides. Sourced anywhere else (rpy2, testthat, Rscript
# without --plot) the script draws nothing and writes no file.
if (length(plot_to) == 2) {
  dir.create(plot_to[2], showWarnings = FALSE, recursive = TRUE)
  png(file.path(plot_to[2], "cost_history.png"))
  plot(cost_hist, type = "l")
  invisible(dev.off())
  png(file.path(plot_to[2], "cost_history_log.png"))
  plot(log(cost_hist), type = "l")
  invisible(dev.off())
} else if (dev.interactive(orNone = TRUE)) {
  plot(cost_hist, type = "l")
  plot(log(cost_hist), type = "l")
}
