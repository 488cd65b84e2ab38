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
