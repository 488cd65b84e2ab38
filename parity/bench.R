# Timing R's side of `make bench` inside R, so rpy2's conversions are not
# charged to R. Sourced by parity/bench.py into the session holding r/*.R.

# The best elapsed time of `repeats` calls of `run()`.
best_time <- function(run, repeats) {
  min(vapply(seq_len(repeats), function(k) system.time(run())[["elapsed"]],
             numeric(1)))
}

# The slides' whole script r/lecture.R (its printing captured; sourced, it
# draws no plot), whose 10,000-step loop is all but all of its time.
time_lecture_script <- function(lecture_script, repeats) {
  best_time(function() {
    utils::capture.output(sys.source(lecture_script, envir = new.env()))
  }, repeats)
}

# A trainer of r/*.R ("train", "train_network", "train_restarts") called on X
# and Y with the arguments `...`.
time_trainer <- function(trainer, X, Y, repeats, ...) {
  run <- get(trainer, mode = "function")
  best_time(function() run(X, Y, ...), repeats)
}

# r/R/data.R's load_scaled() of the CSV at `path`, each read a first read: its
# best time, and the most memory R held while reading it (gc()'s "max used", in bytes, over what R
# held before).
time_loading <- function(path, repeats) {
  first_read <- function() {  # data.R remembers the last file read: forget it first
    rm(list = ls(.last_read, all.names = TRUE), envir = .last_read)
    load_scaled(path)
  }
  seconds <- best_time(first_read, repeats)
  before <- sum(gc(reset = TRUE)[, 2])
  scaled <- first_read()
  peak <- sum(gc()[, 6])
  c(seconds = seconds, bytes = (peak - before) * 2^20)
}
