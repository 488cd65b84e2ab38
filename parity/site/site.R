# R helpers for the site build (parity/site/build.py), sourced into the
# project's R session next to r/*.R.

# What print() writes for x, as one string.
printed <- function(x) {
  paste(utils::capture.output(print(x)), collapse = "\n")
}

# What a porting note's R example prints, run as the console would run it.
# The code is the fixed text of parity/site/porting.py, never user input.
run_example <- function(code) {
  paste(utils::capture.output(
    source(textConnection(code), local = new.env(), print.eval = TRUE, echo = FALSE)
  ), collapse = "\n")
}

# R's own picture of the restarts: every cost history (iterations x K) on a
# log scale, the best (1-based) on top in red, as a PNG at `path`.
plot_restarts <- function(cost_histories, best, path) {
  grDevices::png(path, width = 600, height = 400)
  on.exit(grDevices::dev.off())
  graphics::matplot(cost_histories, type = "l", lty = 1, log = "y",
                    col = "grey60", xlab = "Index",
                    ylab = sprintf("cost_hist of %d restarts", ncol(cost_histories)))
  graphics::lines(cost_histories[, best], col = "red", lwd = 2)
  graphics::legend("topright", legend = sprintf("restart %d, the best", best),
                   col = "red", lwd = 2, inset = 0.03, bg = "white")
}

# The lecture script chunk by chunk (parity/site/script.py): run one chunk of
# r/lecture.R in `env`, as the console would, and return what it printed.
# The code is the project's own r/lecture.R, never user input.
run_chunk <- function(code, env) {
  paste(utils::capture.output(
    source(textConnection(code), local = env, print.eval = TRUE, echo = FALSE)
  ), collapse = "\n")
}

# What typing `expr` at the console prints, in the chunks' environment.
# `expr` is fixed text of parity/site/script.py.
console_print <- function(expr, env) {
  printed(eval(parse(text = expr), envir = env))
}

# What R says to a line of the slides as printed, typo and all: the parse
# error, or the error of evaluating it (in a new environment holding `env`'s
# values), or "" when it runs.
slides_line_error <- function(code, env) {
  tryCatch({
    eval(parse(text = code), envir = new.env(parent = env))
    ""
  }, error = function(e) conditionMessage(e))
}

# The slides' plot code (fixed text of parity/site/build.py), run in `env`,
# drawn into a 1200 x 800 PNG at `path` (6 x 4 inches at 200 dpi, as
# matplotlib's beside it): sharp on a projector.
plot_in <- function(code, env, path) {
  grDevices::png(path, width = 1200, height = 800, res = 200, pointsize = 10)
  on.exit(grDevices::dev.off())
  graphics::par(mar = c(4, 4.5, 1, 1))  # no room kept for a title the slides do not give
  eval(parse(text = code), envir = env)
  invisible(NULL)
}

# The documents page (parity/site/documents.py): what an activation and its
# derivative, a loss and its gradient, or one optimiser step print in R.
show_activation <- function(name, Z) {
  act <- get_activation(name)
  list(f = printed(act$f(Z)),
       prime = if (is.null(act$prime)) "" else printed(act$prime(Z)))
}

show_loss <- function(name, Y, Y_hat) {
  loss <- get_loss(name)
  list(f = printed(loss$f(Y, Y_hat)), prime = printed(loss$gradient(Y, Y_hat)))
}

show_update <- function(name, W, g, step) {
  hyper <- check_hyperparameters(0.9, 0.9, 0.9, 0.999, 1e-8)
  update <- get_optimiser(name)
  list(f = printed(update(W, g, init_optimiser_state(name, W), 1, step, hyper)$W),
       prime = "")
}
