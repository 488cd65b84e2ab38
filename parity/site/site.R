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
                   col = "red", lwd = 2)
}
