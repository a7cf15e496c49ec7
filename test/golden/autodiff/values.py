"""Golden derivatives from JAX: gradients, JVPs, Jacobians (jacfwd and jacrev) and Hessians.

Regenerate (from the repository root, with the project's virtual environment that holds JAX 0.10.x):

    .venv/bin/python test/golden/autodiff/values.py

It writes test/golden/autodiff/values.json: {"jax_version", "cases": [...], "errors": [...]}. The
output is deterministic (fixed inputs, no timestamps).

Every case names a function `fn` that test/autodiff/grad_values.test.ts defines again with
Tracelens' API (same name, same constants), its arguments `args` (all differentiated), and what JAX
computes for it, with `s = lambda *a: jnp.sum(f(*a))` the scalar function and `argnums` 0 for one
argument, (0, 1, ...) for several:
  * "out":     f(*args)
  * "grad":    jax.grad(s, argnums)(*args)
  * "jvp":     jax.jvp(f, args, tangents) -> [primal_out, tangent_out], with "tangents" recorded
  * "jacfwd":  jax.jacfwd(f, argnums)(*args);  "jacrev": jax.jacrev(f, argnums)(*args)
  * "hessian": jax.hessian(s, argnums)(*args) (smooth functions only; nested lists for several args)
  * "prims":   the primitives of JAX's jaxpr of the gradient of `s` (so the list of primitives that
               must appear somewhere is checked here, at generation time)
"tol" names the tolerance class the TypeScript test applies ("exact", "transcendental", "float16");
the test file states the numbers. Points are chosen away from kinks, ties and domain edges (except
where a tie is the point: max/min use JAX's balanced rule, 1/2 each way, at equal operands).

"errors" lists derivatives that JAX refuses, with JAX's message (nextafter has no JVP rule).

"scalars" holds jax.grad(op)(x) and jax.grad(jax.grad(op))(x) of single lax functions at a Python
float x (weakly typed results, which the TypeScript side gets from a JS number).

"jaxprs" holds, for single lax primitives applied to arrays of the recorded avals ({"dtype",
"shape"}), JAX's text of `make_jaxpr(lambda *primals_and_tangents: jax.jvp(op, primals, tangents))`
("jvp") and of `make_jaxpr(jax.grad(lambda *a: jnp.sum(op(*a)), argnums))` ("grad", for float
results): the equations of each JVP and transpose rule, which test/autodiff/rule_jaxprs.test.ts
requires Tracelens to print exactly.

Arrays are encoded as in test/golden/generate.py ({"dtype", "shape", "data"}, floats as the
shortest decimal that reads back to the same float32).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402
from jax.extend import core as jex_core  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "values.json"

_spec = importlib.util.spec_from_file_location("golden_generate", HERE.parent / "generate.py")
_gen = importlib.util.module_from_spec(_spec)
sys.modules["golden_generate"] = _gen
_spec.loader.exec_module(_gen)
enc_array = _gen.enc_array


def enc(y):
    if isinstance(y, (tuple, list)):
        return [enc(e) for e in y]
    return enc_array(np.asarray(y))


def f32(*values):
    return np.asarray(values, dtype=np.float32)


def f32m(rows):
    return np.asarray(rows, dtype=np.float32)


CASES: list[dict] = []


def case(name: str, *args, tol: str = "exact", hessian: bool = True):
    """Registers `f` under `name`, differentiated at `args` (numpy arrays, all differentiated)."""
    def register(f):
        CASES.append({"name": name, "f": f, "args": list(args), "tol": tol, "hessian": hessian})
        return f
    return register


# Tangents: fixed, different per argument, never zero.
def tangent_like(a: np.ndarray, k: int) -> np.ndarray:
    n = a.size
    vals = [((i * 7 + k * 3) % 11 - 5) / 4 or 0.5 for i in range(n)]
    return np.asarray(vals, dtype=np.float32).reshape(a.shape)


# ---- zero-derivative and piecewise primitives --------------------------------------------------

@case("neg", f32(-1.5, 0.25, 2.0, 3.5))
def _(x):
    return lax.neg(x) * x


@case("sign", f32(-1.5, 0.25, 2.0, -3.5))
def _(x):
    return lax.mul(lax.sign(x), lax.square(x))


@case("floor_ceil_round", f32(-1.3, 0.4, 2.6, 3.5, -2.5))
def _(x):
    return (x * lax.floor(x) + x * lax.ceil(x) + x * lax.round(x)
            + x * lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN))


@case("abs", f32(-1.5, 0.25, 2.0, -3.5))
def _(x):
    return lax.abs(x) * x


@case("is_finite", f32(-1.5, 0.25, 2.0, -3.5))
def _(x):
    return lax.select(lax.is_finite(lax.div(f32(1.0, 1.0, 1.0, 1.0), x + 1.5)), x * x, x)


@case("logical_ops", f32(-1.5, 0.25, 1.75, -0.5, 3.0))
def _(x):
    p = lax.bitwise_and(lax.gt(x, 0.0), lax.lt(x, 2.0))
    q = lax.bitwise_or(lax.bitwise_not(lax.lt(x, -1.0)), lax.ge(x, 2.5))
    r = lax.bitwise_xor(p, q)
    return x * lax.convert_element_type(r, jnp.float32) + lax.square(x) * lax.convert_element_type(p, jnp.float32)


@case("comparisons", f32(1.0, -2.0, 3.0, 0.5), f32(1.0, 2.0, -3.0, 0.25))
def _(x, y):
    c = lambda b: lax.convert_element_type(b, jnp.float32)
    return (x * c(lax.eq(x, y)) + y * c(lax.ne(x, y)) + x * y * c(lax.lt(x, y))
            + x * x * c(lax.le(x, y)) + y * y * c(lax.gt(x, y)) + x * y * y * c(lax.ge(x, y)))


@case("int_ops", f32(1.5, -2.25, 3.75, 10.5))
def _(x):
    i = lax.convert_element_type(x, jnp.int32)
    j = lax.bitwise_and(lax.bitwise_not(i), 7) + lax.shift_left(i, 2) + lax.shift_right_arithmetic(i, 1)
    k = lax.bitwise_xor(lax.bitwise_or(j, 1), 3) + lax.shift_right_logical(i, 1)
    return x * lax.convert_element_type(k, jnp.float32)


@case("bitcast_exponent", f32(1.5, 0.3, 10.0, 300.0))
def _(x):
    bits = lax.bitcast_convert_type(x, jnp.int32)
    e = lax.bitwise_and(lax.shift_right_logical(bits, 23), 255) - 127
    return x * lax.convert_element_type(e, jnp.float32)


# ---- transcendental unary primitives: f(x) elementwise -------------------------------------------

UNARY = {
    "exp": (lax.exp, f32(-1.5, 0.25, 1.0, 2.5)),
    "exp2": (lax.exp2, f32(-1.5, 0.25, 1.0, 2.5)),
    "log": (lax.log, f32(0.3, 1.0, 2.5, 10.0)),
    "log1p": (lax.log1p, f32(-0.5, 0.001, 1.0, 10.0)),
    "expm1": (lax.expm1, f32(-1.5, 0.001, 0.25, 2.0)),
    "sqrt": (lax.sqrt, f32(0.3, 1.0, 2.5, 10.0)),
    "rsqrt": (lax.rsqrt, f32(0.3, 1.0, 2.5, 10.0)),
    "cbrt": (lax.cbrt, f32(-2.5, 0.3, 1.0, 10.0)),
    "sin": (lax.sin, f32(-1.5, 0.25, 1.0, 2.5)),
    "cos": (lax.cos, f32(-1.5, 0.25, 1.0, 2.5)),
    "tan": (lax.tan, f32(-1.2, 0.25, 0.75, 1.3)),
    "asin": (lax.asin, f32(-0.8, -0.1, 0.25, 0.6)),
    "acos": (lax.acos, f32(-0.8, -0.1, 0.25, 0.6)),
    "atan": (lax.atan, f32(-2.5, -0.1, 0.25, 3.0)),
    "sinh": (lax.sinh, f32(-2.5, -0.1, 0.25, 1.5)),
    "cosh": (lax.cosh, f32(-2.5, -0.1, 0.25, 1.5)),
    "tanh": (lax.tanh, f32(-1.5, -0.1, 0.25, 0.9)),
    "asinh": (lax.asinh, f32(-2.5, -0.1, 0.25, 3.0)),
    "acosh": (lax.acosh, f32(1.2, 1.5, 2.5, 10.0)),
    "atanh": (lax.atanh, f32(-0.8, -0.1, 0.25, 0.6)),
    "logistic": (lax.logistic, f32(-2.5, -0.1, 0.25, 3.0)),
    "erf": (lax.erf, f32(-1.5, -0.1, 0.25, 0.9)),
    "erf_inv": (lax.erf_inv, f32(-0.8, -0.1, 0.25, 0.6)),
}
for _name, (_op, _x) in UNARY.items():
    case(_name, _x, tol="transcendental")(lambda x, op=_op: op(x))


# ---- arithmetic ---------------------------------------------------------------------------------

@case("add", f32(1.5, -2.0, 0.25), f32(0.5, 3.0, -1.25))
def _(x, y):
    return lax.add(x, y) * x


@case("sub", f32(1.5, -2.0, 0.25), f32(0.5, 3.0, -1.25))
def _(x, y):
    return lax.sub(x, y) * y


@case("mul", f32(1.5, -2.0, 0.25), f32(0.5, 3.0, -1.25))
def _(x, y):
    return lax.mul(x, y)


@case("div", f32(1.5, -2.0, 0.25), f32(0.5, 3.0, -1.25))
def _(x, y):
    return lax.div(x, y)


@case("rem", f32(5.5, -7.25, 3.0), f32(2.0, 3.0, -1.25))
def _(x, y):
    return lax.rem(x, y) * x


@case("pow", f32(0.5, 1.5, 2.25), f32(-1.25, 0.5, 3.0), tol="transcendental")
def _(x, y):
    return lax.pow(x, y)


@case("pow_int_exponent", f32(0.5, -1.5, 2.25, 3.0), tol="transcendental")
def _(x):
    return lax.pow(x, jnp.array([2, 3, -1, 0], jnp.int32))


@case("integer_pow", f32(0.5, -1.5, 2.25))
def _(x):
    return (lax.integer_pow(x, 3) + lax.integer_pow(x, -2) + lax.integer_pow(x, 2)
            + lax.integer_pow(x, 1) + lax.integer_pow(x, 0) + lax.integer_pow(x, 5))


@case("square", f32(0.5, -1.5, 2.25))
def _(x):
    return lax.square(x) * x


@case("max", f32(1.0, -2.0, 3.0, 0.5), f32(1.0, 2.0, -3.0, 0.5), hessian=False)
def _(x, y):
    return lax.max(x, y)


@case("min", f32(1.0, -2.0, 3.0, 0.5), f32(1.0, 2.0, -3.0, 0.5), hessian=False)
def _(x, y):
    return lax.min(x, y)


@case("max_min_smooth", f32(1.25, -2.0, 3.0, 0.5), f32(1.0, 2.0, -3.5, 0.75))
def _(x, y):
    return lax.max(x * x, y) * lax.min(x, y * y)


@case("atan2", f32(1.0, -2.0, 0.5, -0.25), f32(0.5, 3.0, -1.5, -2.0), tol="transcendental")
def _(x, y):
    return lax.atan2(x, y)


@case("broadcast_scalar_operand", f32m([[1.5, -2.0, 0.25], [0.5, 3.0, -1.25]]), np.float32(0.75))
def _(x, y):
    return lax.mul(lax.add(x, y), lax.sub(x, y)) + lax.div(x, y)


@case("broadcast_size1_dims", f32m([[1.5, -2.0, 0.25], [0.5, 3.0, -1.25]]), f32m([[0.5, 2.0, -1.5]]),
      f32m([[2.0], [-0.5]]))
def _(x, y, z):
    return lax.mul(lax.add(x, y), z) + lax.div(lax.sub(y, x), z)


@case("select_n", f32(1.5, -2.0, 0.25, 3.0), f32(0.5, 3.0, -1.25, 2.0))
def _(x, y):
    which = jnp.array([0, 2, 1, 2], jnp.int32)
    pred = jnp.array([True, False, True, False])
    return lax.select_n(which, x * y, lax.select_n(pred, x, y * y), lax.sin(x)) * x


@case("clamp", f32(-1.0, 0.0, -0.5, 0.25), f32(-2.0, 0.5, 1.0, 1.5), f32(1.0, 1.0, 0.5, 2.0), hessian=False)
def _(lo, x, hi):
    return lax.clamp(lo, x, hi) * x


@case("clamp_scalar_bounds", f32(-2.0, 0.5, 1.0, 1.5))
def _(x):
    return lax.clamp(np.float32(-1.0), x * x, np.float32(2.0)) + lax.clamp(np.float32(-1.0), x, np.float32(1.25))


@case("convert_float16", f32(0.5, -1.5, 2.25), tol="float16")
def _(x):
    h = lax.convert_element_type(x, jnp.float16)
    return lax.convert_element_type(h * h, jnp.float32) * x


# ---- compositions (smooth; Hessians) -------------------------------------------------------------

@case("softplus_chain", f32(-2.0, -0.5, 0.25, 1.5, 3.0), tol="transcendental")
def _(x):
    return lax.log1p(lax.exp(x)) * lax.logistic(x) + lax.tanh(x) * lax.sqrt(lax.exp2(x))


@case("chebyshev_t3", f32(-0.9, -0.3, 0.2, 0.7), tol="transcendental")
def _(x):
    return jnp.cos(3 * jnp.arccos(x))


@case("logsumexp_softmax", f32(0.5, -1.0, 2.0, 0.25), tol="transcendental")
def _(x):
    return jax.nn.logsumexp(x) + jax.nn.log_softmax(x) * jax.nn.softmax(x)


@case("mlp_tanh", f32m([[0.5, -0.25, 1.0], [0.75, 0.5, -1.5]]), f32(1.0, -0.5, 0.25), f32(0.1, -0.2),
      tol="transcendental")
def _(w, x, b):
    return jnp.tanh(w @ x + b)


@case("rosenbrock", f32(0.5, -0.75, 1.25, 0.25))
def _(x):
    return 100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2


@case("rational", f32(0.5, -0.75, 1.25), f32(2.0, 1.5, -0.5))
def _(x, y):
    return (x * x * y - 1.0) / (y * y + x + 3.0) - x ** 3 / y


# ---- structural primitives ----------------------------------------------------------------------

@case("reductions", f32m([[0.5, -1.5, 2.0], [1.25, 0.75, -0.25]]))
def _(x):
    return (jnp.sum(x * x, axis=0) + jnp.max(x, axis=0) * jnp.min(x, axis=0)
            + jnp.prod(x, axis=0) + jnp.mean(x * x * x, axis=0))


@case("reduce_max_all", f32m([[0.5, -1.5, 2.0], [1.25, 0.75, -0.25]]), hessian=False)
def _(x):
    return jnp.max(jnp.sin(x)) * jnp.min(x) + jnp.argmax(x).astype(jnp.float32)


@case("var_std", f32(0.5, -1.5, 2.0, 1.25, 0.75), tol="transcendental")
def _(x):
    return jnp.var(x) + jnp.std(x) * x


@case("matmul", f32m([[0.5, -1.5, 2.0], [1.25, 0.75, -0.25]]), f32m([[1.0, 0.5], [-0.5, 2.0], [0.25, -1.0]]))
def _(a, b):
    return jnp.matmul(a, b) * jnp.matmul(a, b)


@case("dot_vectors", f32(0.5, -1.5, 2.0), f32(1.25, 0.75, -0.25))
def _(x, y):
    return jnp.dot(x, y) * jnp.outer(x, y)


@case("einsum_batched", np.arange(12, dtype=np.float32).reshape(2, 2, 3) / 8 - 0.5,
      np.arange(12, dtype=np.float32).reshape(2, 3, 2) / 6 - 1.0)
def _(a, b):
    return jnp.einsum("bij,bjk->bik", a, b)


@case("reshape_transpose", np.arange(6, dtype=np.float32) / 4 - 0.6, tol="transcendental")
def _(x):
    m = jnp.reshape(x, (2, 3))
    return jnp.sin(jnp.transpose(m)) * jnp.reshape(x[::-1], (3, 2))


@case("broadcast_expand_squeeze", f32(0.5, -1.5, 2.0), f32(1.0, 2.0))
def _(x, y):
    m = jnp.expand_dims(x, 0) * jnp.expand_dims(y, 1)
    return jnp.squeeze(jnp.sum(m, axis=1, keepdims=True), 1) * y + jnp.broadcast_to(x, (2, 3))[1, :2]


@case("indexing", f32(0.5, -1.5, 2.0, 1.25, 0.75))
def _(x):
    idx = jnp.array([0, 2, 2, 4, 1], jnp.int32)
    return x[idx] * x + x[1:4].sum() * x[::-1] + x[3]


@case("take_gather_2d", f32m([[0.5, -1.5, 2.0], [1.25, 0.75, -0.25]]))
def _(x):
    return x[jnp.array([1, 0, 1], jnp.int32), jnp.array([2, 2, 0], jnp.int32)] * jnp.take(x, jnp.array([2, 0], jnp.int32), axis=1)[0, 0]


@case("at_add_set", f32(0.5, -1.5, 2.0, 1.25), f32(0.25, -0.75))
def _(x, v):
    idx = jnp.array([1, 3], jnp.int32)
    y = x.at[idx].add(v * v)
    z = y.at[jnp.array([0], jnp.int32)].set(v[0] * x[2])
    return z * x


@case("concatenate_stack", f32(0.5, -1.5, 2.0), f32(1.25, 0.75))
def _(x, y):
    c = jnp.concatenate([x * x, y, x * y[0]])
    return c * jnp.concatenate([y, x, x]) + jnp.stack([x, x * 2.0]).sum(0)[0]


@case("pad", f32(0.5, -1.5, 2.0, 1.25))
def _(x):
    p = lax.pad(x, np.float32(0.5), [(2, -1, 1)])
    return p[1:] * p[1:] + jnp.pad(x * x, (1, 2))


@case("sort", f32(0.5, -1.5, 2.0, 1.25, 0.75))
def _(x):
    return jnp.sort(x * x * x) * jnp.arange(5, dtype=jnp.float32)


@case("cumulative", f32(0.5, -1.5, 2.0, 1.25))
def _(x):
    return jnp.cumsum(x * x) + jnp.cumprod(x) + jnp.cumsum(x[::-1] * x)


@case("dynamic_slice_update", f32(0.5, -1.5, 2.0, 1.25, 0.75), f32(1.0, -2.0))
def _(x, u):
    s = lax.dynamic_slice(x, (jnp.int32(1),), (3,))
    y = lax.dynamic_update_slice(x, u * x[0], (jnp.int32(2),))
    return s * s * x[:3] + y[1:4] * u[1]


@case("where_maximum", f32(0.5, -1.5, 2.0, 1.25, -0.75))
def _(x):
    return jnp.where(x > 0.6, x * x, jnp.sin(x)) + jnp.maximum(x, 0.0) * x + jax.nn.relu(x * 3.0)


# ---- weakly typed scalars: grad and grad of grad at a Python float --------------------------------
# JAX keeps these weakly typed (its `_const` is a Python scalar there); "x" is passed as a JS number.

SCALAR_POINTS = {"log": 0.7, "sqrt": 0.7, "rsqrt": 0.7, "log1p": 0.7, "acosh": 1.7, "asin": 0.3, "acos": 0.3,
                 "atanh": 0.3, "erf_inv": 0.3}
SCALAR_FUNCS = [(name, op, SCALAR_POINTS.get(name, 0.3)) for name, (op, _) in UNARY.items()] + [
    ("abs", lax.abs, -0.3), ("square", lax.square, 0.3), ("integer_pow_3", lambda x: lax.integer_pow(x, 3), 0.3),
    ("pow_2_5", lambda x: lax.pow(x, 2.5), 0.3), ("max_0_5", lambda x: lax.max(x, 0.5), 0.7),
    ("div_into_1_5", lambda x: lax.div(1.5, x), 0.3), ("atan2_0_5", lambda x: lax.atan2(x, 0.5), 0.3),
]


def scalar_cases() -> list[dict]:
    out = []
    for name, op, x in SCALAR_FUNCS:
        g = jax.grad(op)(x)
        gg = jax.grad(jax.grad(op))(x)
        out.append({"name": name, "x": x, "grad": enc_array(g), "grad2": enc_array(gg)})
    return out


# ---- derivatives JAX refuses ---------------------------------------------------------------------

ERRORS = [
    ("nextafter", lambda x: jnp.sum(lax.nextafter(x, jnp.full_like(x, 2.0))), f32(0.5, 1.0)),
]


# ---- jaxprs of single primitives: JAX's text of jvp and grad, which Tracelens must print exactly --
# (test/autodiff/rule_jaxprs.test.ts). Each program applies one lax function to its arguments.

X4 = f32(0.5, -1.5, 2.25, 3.0)
Y4 = f32(1.5, 0.25, -2.0, 3.0)
POS4 = f32(0.5, 1.5, 2.25, 3.0)
UNIT4 = f32(0.5, -0.25, 0.125, 0.75)
JAXPR_PROGRAMS: list[tuple[str, object, list[np.ndarray]]] = [
    (name, op, [{"log": POS4, "sqrt": POS4, "rsqrt": POS4, "acosh": POS4 + 1, "asin": UNIT4, "acos": UNIT4,
                 "atanh": UNIT4, "erf_inv": UNIT4, "log1p": POS4}.get(name, X4)])
    for name, (op, _) in UNARY.items()
] + [
    ("neg", lax.neg, [X4]), ("sign", lax.sign, [X4]), ("floor", lax.floor, [X4]), ("ceil", lax.ceil, [X4]),
    ("round", lax.round, [X4]), ("abs", lax.abs, [X4]), ("square", lax.square, [X4]),
    ("integer_pow_3", lambda x: lax.integer_pow(x, 3), [X4]), ("integer_pow_2", lambda x: lax.integer_pow(x, 2), [X4]),
    ("integer_pow_0", lambda x: lax.integer_pow(x, 0), [X4]), ("integer_pow_m2", lambda x: lax.integer_pow(x, -2), [X4]),
    ("add", lax.add, [X4, Y4]), ("sub", lax.sub, [X4, Y4]), ("mul", lax.mul, [X4, Y4]), ("div", lax.div, [X4, Y4]),
    ("rem", lax.rem, [X4, Y4]), ("pow", lax.pow, [POS4, Y4]), ("atan2", lax.atan2, [X4, Y4]),
    ("max", lax.max, [X4, Y4]), ("min", lax.min, [X4, Y4]),
    ("add_scalar", lax.add, [X4, np.float32(2.5)]), ("sub_scalar", lax.sub, [np.float32(2.5), X4]),
    ("mul_scalar", lax.mul, [np.float32(2.5), X4]), ("div_scalar", lax.div, [X4, np.float32(2.5)]),
    ("mul_size1", lax.mul, [f32m([[1.5, -2.0, 0.25], [0.5, 3.0, -1.25]]), f32m([[0.5, 2.0, -1.5]])]),
    ("add_size1", lax.add, [f32m([[1.5], [-2.0]]), f32m([[0.5, 2.0, -1.5]])]),
    ("pow_int", lambda x: lax.pow(x, jnp.array([2, 3, -1, 0], jnp.int32)), [POS4]),
    ("select_n_bool", lambda x, y: lax.select_n(jnp.array([True, False, True, False]), x, y), [X4, Y4]),
    ("select_n_int", lambda x, y: lax.select_n(jnp.array([0, 2, 1, 2], jnp.int32), x, y, x * y), [X4, Y4]),
    ("clamp", lax.clamp, [f32(-1.0, 0.0, -0.5, 0.25), X4, f32(1.0, 1.0, 0.5, 2.0)]),
    ("convert_f16", lambda x: lax.convert_element_type(x, jnp.float16), [X4]),
]
# (Tangents of integer and boolean results are JAX's float0, which Tracelens stands in for with bool
# zeros, so their jaxprs cannot match; their values are checked in CASES.)


# Gradients whose text differs for reasons outside the rules (their values are checked in CASES):
#  * convert_f16: JAX constant-folds convert_element_type of a rank-0 literal (the float16 seed 1.0
#    of the cotangent) while tracing; Tracelens' tracer stages the conversion.
#  * integer_pow_0: JAX 0.10 linearizes directly (LinearizeTrace), so the zeros of the y = 0 rule
#    stay in the linear jaxpr and never reach the primal one; Tracelens linearizes by partial
#    evaluation and stages their (unused) sum.
GRAD_TEXT_DIFFERS = {"convert_f16", "integer_pow_0"}


def jaxpr_cases() -> list[dict]:
    out = []
    for name, op, args in JAXPR_PROGRAMS:
        args = [jnp.asarray(a) for a in args]
        n = len(args)
        argnums = 0 if n == 1 else tuple(range(n))
        tangents = [jnp.asarray(tangent_like(np.asarray(a), k)) for k, a in enumerate(args)]
        jvp_text = str(jax.make_jaxpr(lambda *pt, op=op, n=n: jax.jvp(op, tuple(pt[:n]), tuple(pt[n:])))(*args, *tangents))
        entry = {"name": name, "args": [{"dtype": str(a.dtype), "shape": list(a.shape)} for a in args], "jvp": jvp_text}
        out_aval = jax.eval_shape(op, *args)
        if jnp.issubdtype(out_aval.dtype, jnp.floating) and name not in GRAD_TEXT_DIFFERS:
            s = lambda *a, op=op: jnp.sum(op(*a))
            entry["grad"] = str(jax.make_jaxpr(jax.grad(s, argnums))(*args))
        out.append(entry)
    return out


def prims_of(jaxpr) -> set[str]:
    out = set()
    for eqn in jaxpr.eqns:
        out.add(eqn.primitive.name)
        for v in eqn.params.values():
            subs = v if isinstance(v, (list, tuple)) else [v]
            for s in subs:
                if isinstance(s, jex_core.ClosedJaxpr):
                    out |= prims_of(s.jaxpr)
                elif isinstance(s, jex_core.Jaxpr):
                    out |= prims_of(s)
    return out


# Every pointwise primitive of the issue must appear in the gradient of some case (nextafter, whose
# derivative JAX does not define, is in ERRORS).
REQUIRED = """neg sign floor ceil round abs exp exp2 log log1p expm1 sqrt rsqrt cbrt sin cos tan asin acos atan
sinh cosh tanh asinh acosh atanh logistic erf erf_inv is_finite not and or xor add sub mul div rem pow
integer_pow square max min atan2 eq ne lt le gt ge select_n clamp convert_element_type bitcast_convert_type
shift_left shift_right_logical shift_right_arithmetic reduce_sum reduce_max reduce_min reduce_prod
dot_general reshape transpose gather scatter-add scatter concatenate pad sort cumsum cumprod
dynamic_slice dynamic_update_slice broadcast_in_dim squeeze rev slice argmax""".split()


def main():
    cases = []
    seen: set[str] = set()
    for c in CASES:
        f, args = c["f"], [jnp.asarray(a) for a in c["args"]]
        n = len(args)
        argnums = 0 if n == 1 else tuple(range(n))
        s = lambda *a, f=f: jnp.sum(f(*a))
        tangents = [jnp.asarray(tangent_like(np.asarray(a), k)) for k, a in enumerate(args)]
        out = f(*args)
        primal, tangent = jax.jvp(f, tuple(args), tuple(tangents))
        entry = {
            "name": c["name"],
            "tol": c["tol"],
            "args": [enc(a) for a in args],
            "out": enc(out),
            "grad": enc(jax.grad(s, argnums)(*args)),
            "tangents": [enc(t) for t in tangents],
            "jvp": [enc(primal), enc(tangent)],
            "jacfwd": enc(jax.jacfwd(f, argnums)(*args)),
            "jacrev": enc(jax.jacrev(f, argnums)(*args)),
        }
        if c["hessian"]:
            entry["hessian"] = enc(jax.hessian(s, argnums)(*args))
        prims = prims_of(jax.make_jaxpr(jax.grad(s, argnums))(*args).jaxpr)
        prims |= prims_of(jax.make_jaxpr(f)(*args).jaxpr)
        entry["prims"] = sorted(prims)
        seen |= prims
        cases.append(entry)
    missing = [p for p in REQUIRED if p not in seen]
    if missing:
        raise SystemExit(f"no case uses {missing}")
    errors = []
    for name, g, x in ERRORS:
        try:
            jax.grad(g)(jnp.asarray(x))
        except Exception as e:  # noqa: BLE001 - record JAX's message whatever the class
            errors.append({"name": name, "args": [enc(x)], "error": type(e).__name__, "message": str(e)})
        else:
            raise SystemExit(f"JAX differentiates {name}; move it to CASES")
    payload = {"jax_version": jax.__version__, "cases": cases, "errors": errors, "jaxprs": jaxpr_cases(),
               "scalars": scalar_cases()}
    OUT.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases, {len(errors)} errors)")


if __name__ == "__main__":
    main()
