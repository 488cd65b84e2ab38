# The three worked back-propagation examples of document 001, computed
# exactly. Only definitions: safe to source() (with r/activations.R and
# r/losses.R). Python twin: py/backprop/examples.py, same functions in the
# same order.
#
# Each example is one weight (or two) feeding one activation, a cross-entropy
# loss, one step of gradient descent: sigmoid, ReLU and softmax. Every step is
# computed at full precision with the project's activations and losses; the
# numbers the document prints are kept as text (their number of decimals says
# how precisely they claim to agree) and compared with the exact values. Where
# they disagree beyond the document's rounding, the record says so
# (document_agrees) and explains it (errata).

# The numbers document 001 prints, as printed. The sigmoid example's z = 0.1
# appears inside 1 / (1 + e^-0.1); the ReLU example prints its prediction only
# inside -log(0.1).
EXAMPLE_DOCUMENT_TEXT <- list(
  sigmoid = list(
    z = "0.1",
    prediction = "0.525",
    loss = "0.644",
    gradient = "-0.118",
    new_weights = "0.2059"
  ),
  relu = list(
    prediction = "0.1",
    loss = "2.3",
    gradient = "-0.45",
    new_weights = "0.245"
  ),
  softmax = list(
    z = c("0.3", "-0.4"),
    prediction = c("0.645", "0.355"),
    loss = "1.034",
    dloss_dz = c("0.645", "-0.645"),
    gradient = c("0.645", "-1.29"),
    new_weights = c("0.2355", "-0.071")
  )
)

# The steps in order, and how each is labelled in the Markdown table.
EXAMPLE_STEPS <- c("z", "prediction", "loss", "dloss_dprediction",
                   "dprediction_dz", "dloss_dz", "gradient", "new_weights")
EXAMPLE_LABELS <- c(
  z = "z",
  prediction = "prediction p",
  loss = "loss L",
  dloss_dprediction = "dL/dp",
  dprediction_dz = "dp/dz",
  dloss_dz = "dL/dz",
  gradient = "dL/dw",
  new_weights = "new weight(s)"
)

# Example 1: input 0.5, weight 0.2, sigmoid, target 1, cross-entropy, rate 0.1.
sigmoid_example <- function(x = 0.5, w = 0.2, y = 1, rate = 0.1) {
  scalar_example("sigmoid", "Sigmoid + cross-entropy", x, w, y, rate)
}

# Example 2: the same numbers through ReLU, whose output is taken as the
# probability.
relu_example <- function(x = 0.5, w = 0.2, y = 1, rate = 0.1) {
  scalar_example("relu", "ReLU + cross-entropy", x, w, y, rate)
}

# One input, one weight, one output p = f(w x), loss L = -y log(p), one update.
# Chain rule, as the document lays it out: dL/dw = dL/dp * dp/dz * dz/dw.
scalar_example <- function(activation, name, x, w, y, rate) {
  act <- get_activation(activation)
  X <- matrix(x)                           # (1, 1)
  Y <- matrix(y)                           # (1, 1)
  Z <- X * w                               # z = w x
  P <- act$f(Z)                            # p = f(z)
  loss <- cross_entropy(Y, P)              # -y log(p), one row
  dL_dP <- cross_entropy_gradient(Y, P)    # -y / p
  dP_dZ <- act$prime(Z)                    # f'(z)
  dL_dZ <- dL_dP * dP_dZ
  dL_dw <- dL_dZ * X                       # dz/dw = x
  new_w <- w - rate * dL_dw
  record <- list(
    id = activation,
    name = name,
    activation = activation,
    inputs = list(x = x, w = w, y = y, rate = rate),
    z = Z[1, 1],
    prediction = P[1, 1],
    loss = loss,
    dloss_dprediction = dL_dP[1, 1],
    dprediction_dz = dP_dZ[1, 1],
    dloss_dz = dL_dZ[1, 1],
    gradient = dL_dw[1, 1],
    new_weights = new_w[1, 1],
    formulas = list(
      z = "z = w x",
      prediction = sprintf("p = %s(z)", activation),
      loss = "L = -y log(p)",
      dloss_dprediction = "dL/dp = -y / p",
      dprediction_dz = sprintf("dp/dz = %s'(z)", activation),
      dloss_dz = "dL/dz = dL/dp dp/dz",
      gradient = "dL/dw = dL/dz x",
      new_weights = "w' = w - rate dL/dw"
    )
  )
  check_against_document(record)
}

# Example 3: each weighted input w_i x_i is one logit of a two-class softmax.
# The document's network: z_i = w_i x_i (no sum), p = softmax(z),
# L = -sum y log(p).
softmax_example <- function(x = c(1, 2), w = c(0.3, -0.2), y = c(0, 1),
                            rate = 0.1) {
  if (length(x) != 2 || length(w) != 2 || length(y) != 2) {
    stop("x, w and y must each hold two numbers", call. = FALSE)
  }
  X <- matrix(x, nrow = 1)                 # (1, 2)
  W <- matrix(w, nrow = 1)                 # (1, 2)
  Y <- matrix(y, nrow = 1)                 # (1, 2)
  Z <- W * X                               # z_i = w_i x_i
  P <- softmax(Z)                          # (1, 2)
  loss <- cross_entropy(Y, P)
  dL_dP <- cross_entropy_gradient(Y, P)    # -y / p
  p <- P[1, ]
  dP_dZ <- diag(p) - outer(p, p)   # (2, 2): dp_i/dz_j = p_i (1[i = j] - p_j)
  dL_dZ <- softmax_backward(P, dL_dP)  # Jacobian applied row by row: = p - y
  dL_dW <- dL_dZ * X                       # dz_i/dw_i = x_i
  new_W <- W - rate * dL_dW
  record <- list(
    id = "softmax",
    name = "Softmax + cross-entropy",
    activation = "softmax",
    inputs = list(x = x, w = w, y = y, rate = rate),
    z = Z[1, ],
    prediction = P[1, ],
    loss = loss,
    dloss_dprediction = dL_dP[1, ],
    dprediction_dz = dP_dZ,
    dloss_dz = dL_dZ[1, ],
    gradient = dL_dW[1, ],
    new_weights = new_W[1, ],
    formulas = list(
      z = "z_i = w_i x_i",
      prediction = "p = softmax(z)",
      loss = "L = -sum y log(p)",
      dloss_dprediction = "dL/dp = -y / p",
      dprediction_dz = "dp_i/dz_j = p_i (1[i=j] - p_j)",
      dloss_dz = "dL/dz = (dp/dz)' dL/dp = p - y",
      gradient = "dL/dw_i = dL/dz_i x_i",
      new_weights = "w' = w - rate dL/dw"
    )
  )
  check_against_document(record)
}

#' Document 001's three worked examples, computed exactly
#'
#' Each example is one weight (or two) feeding one activation, a
#' cross-entropy loss and one step of gradient descent: sigmoid, ReLU and
#' softmax (input 0.5, weight 0.2, target 1, rate 0.1 for the first two;
#' inputs (1, 2), weights (0.3, -0.2), targets (0, 1) for softmax). Every step
#' is computed at full precision with the package's activations and losses;
#' the numbers the document prints are compared with the exact values, and
#' where they disagree beyond the document's rounding the record says so and
#' explains why.
#'
#' @return A named list `sigmoid`, `relu`, `softmax`, in the document's order,
#'   each a record: `id`, `name`, `activation`, `inputs` (`x`, `w`, `y`,
#'   `rate`), the steps `z`, `prediction`, `loss`, `dloss_dprediction`,
#'   `dprediction_dz`, `dloss_dz`, `gradient`, `new_weights` (numbers; pairs
#'   for softmax, whose `dprediction_dz` is its 2 x 2 Jacobian), `formulas`
#'   (each step's formula as text), `document` (the numbers the document
#'   prints), `document_agrees` (`TRUE`/`FALSE` per printed number) and
#'   `errata` (for each wrong number: `quantity`, `document`, `correct`,
#'   `note`).
#' @seealso [print_examples()].
#' @export
#' @examples
#' ex <- examples()
#' ex$sigmoid$gradient           # -0.2375; the document prints -0.118
#' ex$sigmoid$errata$gradient$note
#' unlist(ex$softmax$document_agrees)
examples <- function() {
  list(sigmoid = sigmoid_example(), relu = relu_example(),
       softmax = softmax_example())
}

# Add what the document prints, whether it agrees, and the errata (named by
# quantity). A printed number agrees when it is the exact value rounded to the
# decimals the document shows: |printed - exact| <= half a unit in its last
# place.
check_against_document <- function(record) {
  text <- EXAMPLE_DOCUMENT_TEXT[[record$id]]
  notes <- errata_notes(record)
  document <- list()
  agrees <- list()
  errata <- list()
  for (quantity in names(text)) {
    printed <- text[[quantity]]
    numbers <- as.numeric(printed)
    exact <- record[[quantity]]
    document[[quantity]] <- numbers
    agrees[[quantity]] <- all(abs(numbers - exact) <=
                                vapply(printed, half_unit, numeric(1)))
    if (!agrees[[quantity]]) {
      note <- if (is.null(notes[[quantity]])) "" else notes[[quantity]]
      errata[[quantity]] <- list(quantity = quantity, document = numbers,
                                 correct = exact, note = note)
    }
  }
  record$document <- document
  record$document_agrees <- agrees
  record$errata <- errata
  record
}

# Half a unit in the last printed place: "0.525" -> 0.0005, "2.3" -> 0.05.
# A hair of slack (1e-12 relative) keeps a number that is exactly half way
# from failing on binary rounding.
half_unit <- function(printed) {
  decimals <- nchar(sub("^[^.]*\\.?", "", printed))
  0.5 * 10^-decimals * (1 + 1e-12)
}

# Why each wrong number is wrong, with the exact numbers filled in.
errata_notes <- function(record) {
  n <- example_num
  v <- example_vec
  i <- record$inputs
  if (record$id == "sigmoid") {
    p <- record$prediction
    return(list(
      gradient = sprintf(paste0(
        "dL/dw = dL/dz x = (p - y) x = (%s - %s) * %s = %s. The document's ",
        "-0.118 is (p - y) p (1 - p) = %s: the squared-error delta, without ",
        "the factor x."),
        n(p), n(i$y), n(i$x), n(record$gradient),
        n((p - i$y) * p * (1 - p))),
      new_weights = sprintf(paste0(
        "w - rate dL/dw = %s - %s * (%s) = %s. Even with its own gradient the ",
        "document is off: %s - %s * (-0.118) = %s, since %s * 0.118 is %s, ",
        "not 0.0059."),
        n(i$w), n(i$rate), n(record$gradient), n(record$new_weights),
        n(i$w), n(i$rate), n(i$w + i$rate * 0.118), n(i$rate),
        n(i$rate * 0.118))
    ))
  }
  if (record$id == "relu") {
    p <- record$prediction
    return(list(
      gradient = sprintf(paste0(
        "dL/dw = dL/dp relu'(z) x = (-1 / %s) * %s * %s = %s. The document's ",
        "-0.45 is (p - y) x = (%s - %s) * %s, a shortcut that holds only ",
        "where dL/dz = p - y (a sigmoid or softmax output with cross-entropy), not ",
        "for ReLU."),
        n(p), n(record$dprediction_dz), n(i$x), n(record$gradient),
        n(p), n(i$y), n(i$x)),
      new_weights = sprintf(paste0(
        "w - rate dL/dw = %s - %s * (%s) = %s; the document's 0.245 follows ",
        "from its gradient -0.45."),
        n(i$w), n(i$rate), n(record$gradient), n(record$new_weights))
    ))
  }
  p <- record$prediction
  list(
    prediction = sprintf(paste0(
      "softmax(%s) = e^z / sum e^z = (%s); the document's (0.645, 0.355) ",
      "is wrong."), v(record$z), v(p)),
    loss = sprintf(paste0(
      "-log(%s) = %s. Even from the document's own 0.355, -log(0.355) = %s, ",
      "not 1.034."), n(p[2]), n(record$loss), n(-log(0.355))),
    dloss_dz = sprintf(paste0(
      "p - y = (%s); the document's values follow from its wrong softmax."),
      v(record$dloss_dz)),
    gradient = sprintf(paste0(
      "(p - y) x = (%s); the document's arithmetic is right for its wrong ",
      "softmax."), v(record$gradient)),
    new_weights = sprintf(paste0(
      "w - rate dL/dw = (%s); the document's arithmetic is right for its ",
      "wrong gradients."), v(record$new_weights))
  )
}

# At most 4 decimals, trailing zeros dropped: 0.2237510 -> "0.2238", -5 -> "-5".
example_num <- function(value) {
  text <- sub("\\.?0+$", "", sprintf("%.4f", value))
  if (text == "-0") "0" else text
}

example_vec <- function(values) {
  paste(vapply(values, example_num, character(1)), collapse = ", ")
}

# A number with 6 significant digits; a vector "[a, b]"; a matrix
# "[[a, b], [c, d]]". + 0 turns -0 (from -0 / p) into 0.
format_example_value <- function(value) {
  if (is.matrix(value) && length(value) > 1) {
    rows <- vapply(seq_len(nrow(value)),
                   function(k) format_example_value(value[k, ]), character(1))
    return(sprintf("[%s]", paste(rows, collapse = ", ")))
  }
  if (length(value) > 1) {
    return(sprintf("[%s]", paste(sprintf("%.6g", value + 0), collapse = ", ")))
  }
  sprintf("%.6g", value + 0)
}

# A document number as the document prints it (the shortest form that reads
# back).
format_document_value <- function(value) {
  paste(sprintf("%.15g", value), collapse = ", ")
}

# Every step of every example, one per line, with the document's number
# beside it.
format_examples <- function(records = examples()) {
  lines <- character(0)
  for (k in seq_along(records)) {
    r <- records[[k]]
    i <- r$inputs
    lines <- c(lines, sprintf("Example %d: %s", k, r$name),
               sprintf("  x = %s, w = %s, y = %s, rate = %s",
                       format_example_value(i$x), format_example_value(i$w),
                       format_example_value(i$y), format_example_value(i$rate)))
    for (step in EXAMPLE_STEPS) {
      line <- sprintf("  %-34s %-24s", r$formulas[[step]],
                      format_example_value(r[[step]]))
      if (step %in% names(r$document)) {
        verdict <- if (r$document_agrees[[step]]) "" else "  WRONG"
        line <- sprintf("%s document: %s%s", line,
                        format_document_value(r$document[[step]]), verdict)
      }
      lines <- c(lines, sub("\\s+$", "", line))
    }
    for (e in r$errata) {
      lines <- c(lines, sprintf("  ! %s: %s", EXAMPLE_LABELS[[e$quantity]],
                                e$note))
    }
    lines <- c(lines, "")
  }
  paste(lines, collapse = "\n")
}

#' Print the worked examples beside the document's numbers
#'
#' Every step of every example, one per line, with the document's number
#' beside it, marked `WRONG` where it disagrees, and the errata explained.
#'
#' @param records The records to print (default: all three of [examples()]).
#' @return `NULL`, invisibly; called to print (with [cat()]).
#' @export
#' @examples
#' print_examples()
#' print_examples(examples()["relu"])
print_examples <- function(records = examples()) {
  cat(format_examples(records))
}

# The errata as a Markdown table: example, quantity, document, correct, note.
errata_markdown <- function(records = examples()) {
  lines <- c("| Example | Quantity | Document | Correct | Why |",
             "|---|---|---|---|---|")
  for (r in records) {
    for (e in r$errata) {
      lines <- c(lines, sprintf("| %s | %s | %s | %s | %s |", r$name,
                                EXAMPLE_LABELS[[e$quantity]],
                                format_document_value(e$document),
                                example_vec(e$correct), e$note))
    }
  }
  paste0(paste(lines, collapse = "\n"), "\n")
}
