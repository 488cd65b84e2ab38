/* backprop._rarith: R's arithmetic on finite doubles, compiled.

   The compiled core of backprop.rarith (which documents each primitive and
   holds the reference in Python): the same operations in the same order as
   R 4.2.2's C code and the reference BLAS, so the results are R's to the last
   bit. It only takes the common case, where every operand is finite; where
   an operand may hold NaN or Inf (whose payloads depend on the instructions
   R's compiled code happens to use) it answers "not mine" and rarith's
   Python code computes it.

   Built with -ffp-contract=off: a fused multiply-add would round once where
   R's BLAS rounds twice.  x86-64's doubles are SSE2 (no excess precision);
   its long double is the x87 80-bit format, R's LDOUBLE.

   Arrays arrive through the buffer protocol (numpy arrays, any strides);
   results are written into C-contiguous float64 buffers made by the caller.
   No numpy headers are needed to build it.  */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <float.h>
#include <math.h>
#include <string.h>

#define SAFE_MAX (DBL_MAX / 2)

/* array.c mayHaveNaNOrInf is false for a matrix whose every |x| <= DBL_MAX / 2
   (no pair's sum can overflow, nothing is NaN or Inf); this is that test
   (false for NaN). Where it fails the caller takes R's other road.  */
static int safe_value(double x) { return fabs(x) <= SAFE_MAX; }

/* ------------------------------------------------------------- buffers */

typedef struct {
    Py_buffer view;
    int ndim;
    Py_ssize_t shape[3];
    Py_ssize_t strides[3]; /* in bytes */
    char *buf;
} Arr;

static int get_arr(PyObject *obj, Arr *a, int writable) {
    int flags = PyBUF_STRIDES | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, &a->view, flags) < 0) return -1;
    if (a->view.itemsize != 8 || a->view.format == NULL || strcmp(a->view.format, "d") != 0 ||
        a->view.ndim < 1 || a->view.ndim > 3) {
        PyBuffer_Release(&a->view);
        PyErr_SetString(PyExc_TypeError, "expected a float64 array of 1 to 3 dimensions");
        return -1;
    }
    a->ndim = a->view.ndim;
    for (int d = 0; d < a->ndim; d++) {
        a->shape[d] = a->view.shape[d];
        a->strides[d] = a->view.strides[d];
    }
    a->buf = (char *)a->view.buf;
    return 0;
}

static void release(Arr *a) { PyBuffer_Release(&a->view); }

#define AT2(a, i, j) (*(double *)((a)->buf + (i) * (a)->strides[(a)->ndim - 2] + \
                                  (j) * (a)->strides[(a)->ndim - 1]))

/* ------------------------------------------------------------- %*% */

/* Every entry of a matrix (or of a stack's k-th matrix) safe?  */
static int matrix_safe(const char *base, Py_ssize_t m, Py_ssize_t n, Py_ssize_t sm,
                       Py_ssize_t sn) {
    for (Py_ssize_t j = 0; j < n; j++)
        for (Py_ssize_t i = 0; i < m; i++)
            if (!safe_value(*(const double *)(base + i * sm + j * sn))) return 0;
    return 1;
}

/* C = A B for finite A (m x l) and B (l x n), as R's matprod calls the
   reference BLAS: dgemm('N', 'N') (or dgemv when B has one column or A one
   row).  For finite operands all three give each C(i, j) as
   0 + A(i,1) B(1,j) + A(i,2) B(2,j) + ..., added in that order in double:
   DGEMM's "C(I,J) = C(I,J) + TEMP*A(I,L)" from C(I,J) = ZERO, DGEMV's
   "Y(I) = Y(I) + TEMP*A(I,J)" from ZERO, and DGEMV('T')'s
   "TEMP = TEMP + A(I,J)*X(I)" from ZERO, then ZERO + ALPHA*TEMP (a sum that
   starts from +0 is never -0, so that last addition changes nothing).  */
static void blas_product(const char *a, Py_ssize_t sa0, Py_ssize_t sa1, const char *b,
                         Py_ssize_t sb0, Py_ssize_t sb1, double *c, Py_ssize_t m,
                         Py_ssize_t l, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < m; i++)
        for (Py_ssize_t j = 0; j < n; j++) {
            double s = 0.0;
            for (Py_ssize_t k = 0; k < l; k++)
                s = s + *(const double *)(b + k * sb0 + j * sb1) *
                            *(const double *)(a + i * sa0 + k * sa1);
            c[i * n + j] = s;
        }
}

/* matprod(a, b, out): out <- a %*% b, matrix by matrix over a stack (a, b: 2-D
   or 3-D; out: (m, n) or (K, m, n), C-contiguous).  True when done; False, with out
   unfinished, when some operand is not safe (R may not call the BLAS).  */
static PyObject *py_matprod(PyObject *self, PyObject *args) {
    PyObject *oa, *ob, *oc;
    if (!PyArg_ParseTuple(args, "OOO", &oa, &ob, &oc)) return NULL;
    Arr a, b, c;
    if (get_arr(oa, &a, 0) < 0) return NULL;
    if (get_arr(ob, &b, 0) < 0) {
        release(&a);
        return NULL;
    }
    if (get_arr(oc, &c, 1) < 0) {
        release(&a);
        release(&b);
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t m = a.shape[a.ndim - 2], l = a.shape[a.ndim - 1];
    Py_ssize_t n = b.shape[b.ndim - 1];
    Py_ssize_t K = c.ndim == 3 ? c.shape[0] : 1;
    if (a.ndim < 2 || b.ndim < 2 || c.ndim < 2 || b.shape[b.ndim - 2] != l ||
        c.shape[c.ndim - 2] != m || c.shape[c.ndim - 1] != n || (a.ndim == 3 && a.shape[0] != K) ||
        (b.ndim == 3 && b.shape[0] != K) || !PyBuffer_IsContiguous(&c.view, 'C')) {
        PyErr_SetString(PyExc_ValueError, "matprod: shapes do not conform");
        goto done;
    }
    Py_ssize_t sa0 = a.strides[a.ndim - 2], sa1 = a.strides[a.ndim - 1];
    Py_ssize_t sb0 = b.strides[b.ndim - 2], sb1 = b.strides[b.ndim - 1];
    Py_ssize_t sak = a.ndim == 3 ? a.strides[0] : 0, sbk = b.ndim == 3 ? b.strides[0] : 0;
    int ok = 1;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < (a.ndim == 3 ? K : 1) && ok; k++)
        ok = matrix_safe(a.buf + k * sak, m, l, sa0, sa1);
    for (Py_ssize_t k = 0; k < (b.ndim == 3 ? K : 1) && ok; k++)
        ok = matrix_safe(b.buf + k * sbk, l, n, sb0, sb1);
    if (ok)
        for (Py_ssize_t k = 0; k < K; k++)
            blas_product(a.buf + k * sak, sa0, sa1, b.buf + k * sbk, sb0, sb1,
                         (double *)c.buf + k * m * n, m, l, n);
    Py_END_ALLOW_THREADS
    result = PyBool_FromLong(ok);
done:
    release(&a);
    release(&b);
    release(&c);
    return result;
}

/* ------------------------------------------------------------- math1 */

/* arithmetic.h R_log: x > 0 ? log(x) : x == 0 ? R_NegInf : R_NaN.  */
static double r_log(double x) { return x > 0 ? log(x) : x == 0 ? -INFINITY : NAN; }

/* math1(x, out, which): out <- f(x) entry by entry, x's storage in row-major
   order of its index (the order does not matter: each entry on its own);
   which 0 exp, 1 log (R_log), 2 tanh, 3 log1p.  arithmetic.c math1: a NaN
   input gives that NaN (its payload kept).  out: C-contiguous, x's shape.  */
static PyObject *py_math1(PyObject *self, PyObject *args) {
    PyObject *ox, *oy;
    int which;
    if (!PyArg_ParseTuple(args, "OOi", &ox, &oy, &which)) return NULL;
    if (which < 0 || which > 3) {
        PyErr_SetString(PyExc_ValueError, "math1: which must be 0, 1, 2 or 3");
        return NULL;
    }
    Arr x, y;
    if (get_arr(ox, &x, 0) < 0) return NULL;
    if (get_arr(oy, &y, 1) < 0) {
        release(&x);
        return NULL;
    }
    int same = x.ndim == y.ndim && PyBuffer_IsContiguous(&y.view, 'C');
    for (int d = 0; same && d < x.ndim; d++) same = x.shape[d] == y.shape[d];
    if (!same) {
        release(&x);
        release(&y);
        PyErr_SetString(PyExc_ValueError, "math1: out must be C-contiguous, x's shape");
        return NULL;
    }
    Py_ssize_t s0 = 1, s1 = 1, s2 = 1, t0 = 0, t1 = 0, t2 = 0;
    if (x.ndim == 1) { s2 = x.shape[0]; t2 = x.strides[0]; }
    if (x.ndim == 2) { s1 = x.shape[0]; s2 = x.shape[1]; t1 = x.strides[0]; t2 = x.strides[1]; }
    if (x.ndim == 3) {
        s0 = x.shape[0]; s1 = x.shape[1]; s2 = x.shape[2];
        t0 = x.strides[0]; t1 = x.strides[1]; t2 = x.strides[2];
    }
    double *out = (double *)y.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < s0; i++)
        for (Py_ssize_t j = 0; j < s1; j++)
            for (Py_ssize_t k = 0; k < s2; k++) {
                double v = *(double *)(x.buf + i * t0 + j * t1 + k * t2);
                *out++ = isnan(v)     ? v
                         : which == 0 ? exp(v)
                         : which == 1 ? r_log(v)
                         : which == 2 ? tanh(v)
                                      : log1p(v);
            }
    Py_END_ALLOW_THREADS
    release(&x);
    release(&y);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------- sum */

/* summary.c rsum's total of an array whose every entry is finite, in R's
   storage order (column-major: the first index fastest), as a double;
   None if an entry is NaN or Inf (then rarith adds them one at a time).  */
static PyObject *py_rsum(PyObject *self, PyObject *args) {
    PyObject *ox;
    if (!PyArg_ParseTuple(args, "O", &ox)) return NULL;
    Arr x;
    if (get_arr(ox, &x, 0) < 0) return NULL;
    if (x.ndim > 2) {
        release(&x);
        PyErr_SetString(PyExc_ValueError, "rsum: a vector or a matrix");
        return NULL;
    }
    Py_ssize_t m = x.shape[0], n = x.ndim == 2 ? x.shape[1] : 1;
    Py_ssize_t sm = x.strides[0], sn = x.ndim == 2 ? x.strides[1] : 0;
    long double s = 0.0;
    int finite = 1;
    for (Py_ssize_t j = 0; j < n && finite; j++)
        for (Py_ssize_t i = 0; i < m; i++) {
            double v = *(double *)(x.buf + i * sm + j * sn);
            if (!isfinite(v)) {
                finite = 0;
                break;
            }
            s += v;
        }
    release(&x);
    if (!finite) Py_RETURN_NONE;
    double total = s > DBL_MAX ? INFINITY : s < -DBL_MAX ? -INFINITY : (double)s;
    return PyFloat_FromDouble(m * n ? 0.0 + total : 0.0); /* do_summary's zcum.r = 0 */
}

/* ------------------------------------------------- the lecture, fused */

/* What R computes for the lecture's train() (r/network.R), step by step, with
   the products and sums above:

     Z_2 <- X %*% W_1;  A_2 <- 1 / (1 + exp(-Z_2))
     Z_3 <- A_2 %*% W_2;  Y_hat <- 1 / (1 + exp(-Z_3))
     cost <- 0.5 * sum((Y - Y_hat)^2)          (x^2 is x * x)
     delta_3 <- -(Y - Y_hat) * (exp(-Z_3) / (1 + exp(-Z_3))^2)
     dJ_dW_2 <- t(A_2) %*% delta_3
     delta_2 <- delta_3 %*% t(W_2) * (exp(-Z_2) / (1 + exp(-Z_2))^2)
     dJ_dW_1 <- t(X) %*% delta_2
     W_1 <- W_1 - step * dJ_dW_1;  W_2 <- W_2 - step * dJ_dW_2

   exp(-Z) is computed once for both sigmoid and its derivative (the same
   value: libm's exp of the same double).  Row-major buffers here.  */

typedef struct {
    Py_ssize_t N, D, H;
    const double *X, *Y; /* N x D, N x 1 */
    double *W_1, *W_2;   /* D x H, H x 1 */
    double *Z_2, *A_2, *F_2, *delta_2, *Z_3, *Y_hat, *F_3, *delta_3, *g_1, *g_2;
} Lecture;

static int all_safe(const double *x, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++)
        if (!safe_value(x[i])) return 0;
    return 1;
}

/* sigmoid and the slides' derivative of Z, sharing exp(-Z); 0 if the
   derivative is not finite (then the next products are R's other road).  */
static int sigmoid_and_prime(const double *Z, double *A, double *F, Py_ssize_t n) {
    int ok = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        double e = exp(-Z[i]);
        double q = 1 + e;
        A[i] = 1 / q;
        F[i] = e / (q * q);
        ok &= safe_value(F[i]);
    }
    return ok;
}

/* Forward pass; 0 when an operand of a product is not safe.  */
static int lecture_forward(Lecture *L, int *prime_ok) {
    Py_ssize_t N = L->N, D = L->D, H = L->H;
    if (!all_safe(L->W_1, D * H) || !all_safe(L->W_2, H)) return 0;
    blas_product((const char *)L->X, D * 8, 8, (const char *)L->W_1, H * 8, 8, L->Z_2, N, D, H);
    int ok2 = sigmoid_and_prime(L->Z_2, L->A_2, L->F_2, N * H);
    if (!all_safe(L->A_2, N * H)) return 0;
    blas_product((const char *)L->A_2, H * 8, 8, (const char *)L->W_2, 8, 8, L->Z_3, N, H, 1);
    int ok3 = sigmoid_and_prime(L->Z_3, L->Y_hat, L->F_3, N);
    *prime_ok = ok2 && ok3;
    return 1;
}

/* The cost of the last forward pass: rsum's long double total, then 0.5 *.  */
static double lecture_cost(const Lecture *L) {
    long double s = 0.0;
    for (Py_ssize_t n = 0; n < L->N; n++) {
        double d = L->Y[n] - L->Y_hat[n];
        s += d * d;
    }
    double total = s > DBL_MAX ? INFINITY : s < -DBL_MAX ? -INFINITY : (double)s;
    return 0.5 * (0.0 + total);
}

/* Backward pass and update; 0 when an operand of a product is not safe
   (nothing updated then).  */
static int lecture_backward(Lecture *L, double step) {
    Py_ssize_t N = L->N, D = L->D, H = L->H;
    for (Py_ssize_t n = 0; n < N; n++)
        L->delta_3[n] = -(L->Y[n] - L->Y_hat[n]) * L->F_3[n];
    if (!all_safe(L->delta_3, N)) return 0;
    /* t(A_2) %*% delta_3: A_2 row-major N x H is t(A_2) column-major.  */
    blas_product((const char *)L->A_2, 8, H * 8, (const char *)L->delta_3, 8, 8, L->g_2, H, N, 1);
    /* delta_3 %*% t(W_2): (N x 1) (1 x H).  */
    blas_product((const char *)L->delta_3, 8, 8, (const char *)L->W_2, 8, 8, L->delta_2, N, 1, H);
    for (Py_ssize_t i = 0; i < N * H; i++) L->delta_2[i] = L->delta_2[i] * L->F_2[i];
    if (!all_safe(L->delta_2, N * H)) return 0;
    blas_product((const char *)L->X, 8, D * 8, (const char *)L->delta_2, H * 8, 8, L->g_1, D, N, H);
    for (Py_ssize_t i = 0; i < D * H; i++) L->W_1[i] = L->W_1[i] - step * L->g_1[i];
    for (Py_ssize_t i = 0; i < H; i++) L->W_2[i] = L->W_2[i] - step * L->g_2[i];
    return 1;
}

/* lecture_train(X, Y, W_1, W_2, step, first, count, cost_history, Y_hat):
   iterations first .. first + count - 1 of train() (1-based), W_1 and W_2
   updated in place, each cost written to cost_history[i - 1], Y_hat the last
   forward pass's (with count 0: the forward pass of W_1, W_2).  Every array
   C-contiguous float64.  Returns 0 when done, or the iteration at which a
   value stopped being finite (or large enough that R may leave the BLAS):
   the caller then takes the twin's road, which knows R's NaN arithmetic and
   its errors.  */
static PyObject *py_lecture_train(PyObject *self, PyObject *args) {
    PyObject *o[6], *ohist, *oyhat;
    double step;
    Py_ssize_t first, count;
    if (!PyArg_ParseTuple(args, "OOOOdnnOO", &o[0], &o[1], &o[2], &o[3], &step, &first, &count,
                          &ohist, &oyhat))
        return NULL;
    o[4] = ohist;
    o[5] = oyhat;
    Arr a[6];
    int got = 0;
    for (; got < 6; got++) {
        if (get_arr(o[got], &a[got], got >= 2) < 0) break;
        if (!PyBuffer_IsContiguous(&a[got].view, 'C')) {
            release(&a[got]);
            PyErr_SetString(PyExc_ValueError, "lecture_train: C-contiguous arrays only");
            break;
        }
    }
    if (got < 6) {
        while (got--) release(&a[got]);
        return NULL;
    }
    PyObject *result = NULL;
    Py_ssize_t N = a[0].shape[0], D = a[0].ndim == 2 ? a[0].shape[1] : 0;
    Py_ssize_t H = a[2].ndim == 2 ? a[2].shape[1] : 0;
    if (a[0].ndim != 2 || a[2].ndim != 2 || a[2].shape[0] != D || a[1].view.len != N * 8 ||
        a[3].view.len != H * 8 || a[5].view.len != N * 8 || first < 1 || count < 0 ||
        a[4].view.len < (first - 1 + count) * 8) {
        PyErr_SetString(PyExc_ValueError, "lecture_train: shapes do not conform");
        goto done;
    }
    double *work = PyMem_Malloc(sizeof(double) * (size_t)(5 * N * H + 3 * N + D * H + H + 1));
    if (work == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Lecture L = {N, D, H, (const double *)a[0].buf, (const double *)a[1].buf,
                 (double *)a[2].buf, (double *)a[3].buf};
    L.Z_2 = work;
    L.A_2 = L.Z_2 + N * H;
    L.F_2 = L.A_2 + N * H;
    L.delta_2 = L.F_2 + N * H;
    L.g_1 = L.delta_2 + N * H;
    L.Z_3 = L.g_1 + D * H;
    L.Y_hat = (double *)a[5].buf;
    L.F_3 = L.Z_3 + N;
    L.delta_3 = L.F_3 + N;
    L.g_2 = L.delta_3 + N;
    double *history = (double *)a[4].buf;
    Py_ssize_t stopped = 0;
    Py_BEGIN_ALLOW_THREADS
    if (!all_safe(L.X, N * D) || !all_safe(L.Y, N)) stopped = first;
    int prime_ok = 1;
    if (!stopped && count == 0 && !lecture_forward(&L, &prime_ok)) stopped = first;
    for (Py_ssize_t i = first; i < first + count && !stopped; i++) {
        if (!lecture_forward(&L, &prime_ok) || !prime_ok) {
            stopped = i;
            break;
        }
        double c = lecture_cost(&L);
        history[i - 1] = c;
        if (!isfinite(c) || !lecture_backward(&L, step)) stopped = i;
    }
    Py_END_ALLOW_THREADS
    PyMem_Free(work);
    result = PyLong_FromSsize_t(stopped);
done:
    for (int k = 0; k < 6; k++) release(&a[k]);
    return result;
}

static PyMethodDef methods[] = {
    {"matprod", py_matprod, METH_VARARGS, "matprod(a, b, out): R's %*% of safe operands."},
    {"math1", py_math1, METH_VARARGS, "math1(x, out, which): exp, R_log, tanh or log1p."},
    {"rsum", py_rsum, METH_VARARGS, "rsum(x): R's sum of finite doubles, or None."},
    {"lecture_train", py_lecture_train, METH_VARARGS, "The lecture's train(), R's arithmetic."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_rarith",
                                    "R's arithmetic on finite doubles, compiled.", -1, methods};

PyMODINIT_FUNC PyInit__rarith(void) { return PyModule_Create(&module); }
