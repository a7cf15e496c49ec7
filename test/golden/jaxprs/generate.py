"""Golden jaxprs: JAX 0.10's own text, `str(jax.make_jaxpr(f)(*args))`, for each program below.

Regenerate (from the repository root):

    .venv/bin/python test/golden/jaxprs/generate.py

It writes test/golden/jaxprs/jaxprs.json: {"jax_version", "programs": [{"name", "args", "static_argnums",
"jaxpr"}]}. test/tracing/programs.ts has the same programs written with Tracelens' API (same names,
same order) and test/tracing/jaxpr_golden.test.ts asserts that `makeJaxpr(f)(...args).toString()`
equals "jaxpr" exactly.

Argument encoding (decoded by test/tracing/programs.ts):
  * {"shape": [...], "dtype": "float32"} is an array of that shape and dtype holding deterministic
    values (see `fill` below; the TypeScript side fills the same values);
  * {"scalar": v} is a Python scalar / JS number (weakly typed), {"static": v} a static argument;
  * a JSON list is a list (JS array) of encoded values, {"dict": {...}} a dict (plain object).

The output is deterministic, so regenerating with the same JAX version gives a byte-identical file.
Control-flow programs (cond, while_loop, fori_loop, scan) go in the section marked below, in both
this file and programs.ts.
"""

from __future__ import annotations

import json
import os
import operator
from functools import reduce
from pathlib import Path

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

OUT = Path(__file__).resolve().parent / "jaxprs.json"

PROGRAMS: list[dict] = []


def program(name: str, *args, static_argnums: tuple[int, ...] = ()):
    """Registers `f` under `name`, traced on the encoded `args`."""
    def register(f):
        PROGRAMS.append({"name": name, "f": f, "args": list(args), "static_argnums": list(static_argnums)})
        return f
    return register


def A(*shape: int, dtype: str = "float32") -> dict:
    return {"shape": list(shape), "dtype": dtype}


def S(v) -> dict:
    return {"scalar": v}


def ST(v) -> dict:
    return {"static": v}


def fill(shape, dtype) -> np.ndarray:
    """Deterministic values: (i mod 7 - 3) / 2 + 0.25 for floats, i mod 5 - 2 for ints, i even for bool."""
    n = int(np.prod(shape)) if shape else 1
    i = np.arange(n)
    if dtype == "bool":
        v = i % 2 == 0
    elif dtype in ("int32",):
        v = i % 5 - 2
    elif dtype == "uint32":
        v = i % 5
    else:
        v = (i % 7 - 3) / 2 + 0.25
    return np.asarray(v, dtype=dtype).reshape(shape)


def decode(a):
    if isinstance(a, list):
        return [decode(x) for x in a]
    if "shape" in a:
        return jnp.asarray(fill(tuple(a["shape"]), a["dtype"]))
    if "scalar" in a:
        return a["scalar"]
    if "static" in a:
        v = a["static"]
        return tuple(v) if isinstance(v, list) else v
    if "dict" in a:
        return {k: decode(v) for k, v in a["dict"].items()}
    raise ValueError(a)


# ---- elementwise, literals ----------------------------------------------------------------------

@program("sin_times_literal", A(3))
def _(x):
    return jnp.sin(x) * 2.0


@program("float_literal_formats", A(3))
def _(x):
    return (x * 0.1 + jnp.inf - jnp.nan) * 1e20 + x * 1e-7 + x * 123456789.0 - 0.0


@program("int_literals", A(4, dtype="int32"))
def _(x):
    return x * 2 + 1


@program("bool_literals", A(4))
def _(x):
    return jnp.logical_and(x > 0, True)


@program("unary_chain", A(2, 3))
def _(x):
    return jnp.tanh(jnp.log1p(jnp.exp(x))) + jnp.sqrt(jnp.abs(x))


@program("trig", A(5))
def _(x):
    return jnp.cos(x) + jnp.tan(x) - jnp.arctan(x) * jnp.sinh(x)


@program("arccos_chebyshev", A(5))
def _(x):
    return jnp.cos(3.0 * jnp.arccos(x))


@program("where_select", A(4))
def _(x):
    return jnp.where(x > 0, x, 0.0)


@program("where_scalar_condition", A(4))
def _(x):
    return jnp.where(True, x, 1.0)


@program("where_arrays", A(4))
def _(x):
    return jnp.where(x > 0, x, -x)


@program("clip", A(4))
def _(x):
    return jnp.clip(x, 0.0, 1.0)


@program("clip_min_only", A(4))
def _(x):
    return jnp.clip(x, min=0.5)


@program("round", A(4))
def _(x):
    return jnp.round(x) + jnp.round(x, 2)


@program("remainder", A(4))
def _(x):
    return jnp.mod(x, 3.0)


@program("maximum_minimum", A(4), A(4))
def _(x, y):
    return jnp.maximum(x, y) - jnp.minimum(x, 1.0)


@program("mixed_dtype_promotion", A(3, dtype="int32"), A(3))
def _(i, x):
    return i + x


@program("weak_scalar_argument", A(3), S(2.5))
def _(x, s):
    return x * s + s


@program("int_scalar_argument", A(3, dtype="int32"), S(3))
def _(x, n):
    return x + n


@program("astype", A(3))
def _(x):
    return x.astype(jnp.int32) * 2


@program("comparisons", A(4), A(4))
def _(x, y):
    return (x == y) | (x != 0.0), x < y, x >= 1.0


@program("isnan_isfinite", A(3))
def _(x):
    return jnp.isnan(x), jnp.isfinite(x)


@program("sign_floor_ceil", A(4))
def _(x):
    return jnp.sign(x) + jnp.floor(x) - jnp.ceil(x)


@program("logical_not", A(4, dtype="bool"))
def _(b):
    return jnp.logical_not(b)


@program("integer_power", A(3))
def _(x):
    return x ** 2 + x ** 3


@program("square_sqrt", A(3))
def _(x):
    return jnp.sqrt(jnp.square(x) + 1.0)


@program("negative_subtract", A(3), A(3))
def _(x, y):
    return -x - y


@program("divide", A(3), A(3))
def _(x, y):
    return x / y + 1.0 / x


# ---- broadcasting -------------------------------------------------------------------------------

@program("broadcast_row", A(2, 3), A(3))
def _(x, y):
    return x + y


@program("broadcast_outer", A(3, 1), A(1, 4))
def _(x, y):
    return x * y


@program("broadcast_scalar_array", A(), A(2, 2))
def _(s, x):
    return s + x


@program("broadcast_to", A(3))
def _(x):
    return jnp.broadcast_to(x, (2, 3))


# ---- reductions ---------------------------------------------------------------------------------

@program("sum_all", A(2, 3))
def _(x):
    return jnp.sum(x)


@program("sum_axis_keepdims", A(2, 3))
def _(x):
    return jnp.sum(x, axis=1, keepdims=True)


@program("mean", A(2, 3))
def _(x):
    return jnp.mean(x, axis=0)


@program("max_min", A(2, 3))
def _(x):
    return jnp.max(x), jnp.min(x, axis=1)


@program("prod", A(2, 3))
def _(x):
    return jnp.prod(x, axis=0)


@program("argmax_argmin", A(2, 3))
def _(x):
    return jnp.argmax(x, axis=1), jnp.argmin(x)


@program("all_any", A(2, 3, dtype="bool"))
def _(b):
    return jnp.all(b), jnp.any(b, axis=0)


@program("var", A(2, 3))
def _(x):
    return jnp.var(x)


@program("std_axis", A(2, 3))
def _(x):
    return jnp.std(x, axis=1)


@program("cumsum", A(2, 3))
def _(x):
    return jnp.cumsum(x, axis=1)


@program("cumprod_flattened", A(2, 3))
def _(x):
    return jnp.cumprod(x)


@program("var_ddof", A(4))
def _(x):
    return jnp.var(x, ddof=1)


@program("sum_int", A(5, dtype="int32"))
def _(x):
    return jnp.sum(x)


@program("mean_of_squares", A(4))
def _(x):
    return jnp.mean(x ** 2)


# ---- dot / matmul -------------------------------------------------------------------------------

@program("dot_vectors", A(3), A(3))
def _(x, y):
    return jnp.dot(x, y)


@program("matmul_2d", A(2, 3), A(3, 4))
def _(a, b):
    return a @ b


@program("matmul_batched", A(5, 2, 3), A(5, 3, 4))
def _(a, b):
    return jnp.matmul(a, b)


@program("matvec", A(2, 3), A(3))
def _(a, v):
    return a @ v


@program("outer", A(3), A(2))
def _(x, y):
    return jnp.outer(x, y)


@program("einsum_matmul", A(2, 3), A(3, 4))
def _(a, b):
    return jnp.einsum("ij,jk->ik", a, b)


@program("linear_layer", A(4, 3), A(3), A(2, 4))
def _(w, b, x):
    return jnp.tanh(x @ w + b)


# ---- shape operations ---------------------------------------------------------------------------

@program("reshape_chain", A(2, 3))
def _(x):
    return x.reshape(3, 2).reshape(6).reshape(1, 6)


@program("transpose", A(2, 3, 4))
def _(x):
    return jnp.transpose(x, (2, 0, 1))


@program("dot_T", A(2, 3))
def _(x):
    return x.T


@program("expand_squeeze", A(3))
def _(x):
    return jnp.squeeze(jnp.expand_dims(x, 0), 0)


@program("concatenate", A(2, 3), A(1, 3))
def _(x, y):
    return jnp.concatenate([x, y], axis=0)


@program("flip", A(2, 3))
def _(x):
    return jnp.flip(x, axis=1)


@program("flip_all_axes", A(2, 2))
def _(x):
    return jnp.flip(x)


@program("ravel", A(2, 3))
def _(x):
    return jnp.ravel(x)


@program("swapaxes", A(2, 3, 4))
def _(x):
    return jnp.swapaxes(x, 0, 2)


@program("reshape_transpose_chain", A(4, 6))
def _(x):
    return x.reshape(2, 2, 6).transpose(1, 0, 2).reshape(4, 6).sum(axis=0)


# ---- indexing and at[] updates ------------------------------------------------------------------

@program("index_int", A(4, 3))
def _(x):
    return x[0]


@program("index_slice", A(5))
def _(x):
    return x[1:3]


@program("index_reverse", A(5))
def _(x):
    return x[::-1]


@program("index_column", A(4, 3))
def _(x):
    return x[:, 0]


@program("index_newaxis", A(3))
def _(x):
    return x[None]


@program("index_traced_int", A(5), A(dtype="int32"))
def _(x, i):
    return x[i]


@program("index_int_array", A(5), A(2, dtype="int32"))
def _(x, idx):
    return x[idx]


@program("at_set", A(4))
def _(x):
    return x.at[0].set(1.0)


@program("at_add_slice", A(4))
def _(x):
    return x.at[1:].add(2.0)


@program("at_mul_traced_index", A(4), A(dtype="int32"))
def _(x, i):
    return x.at[i].multiply(3.0)


@program("take", A(5), A(3, dtype="int32"))
def _(x, idx):
    return jnp.take(x, idx)


# ---- pytrees ------------------------------------------------------------------------------------

@program("pytree_dict_input", {"dict": {"w": A(3, 2), "b": A(2)}}, A(3))
def _(params, x):
    return x @ params["w"] + params["b"]


@program("pytree_tuple_output", A(3))
def _(x):
    return x + 1.0, x * 2.0


@program("pytree_dict_output", A(3))
def _(x):
    return {"sin": jnp.sin(x), "cos": jnp.cos(x)}


@program("pytree_nested_list_input", [A(2), [A(2), A(2)]])
def _(xs):
    a, (b, c) = xs
    return a * b + c


@program("pytree_output_passthrough", A(3), A(3))
def _(x, y):
    return [y, x, x + y]


# ---- static arguments ---------------------------------------------------------------------------

@program("static_int_power", A(3), ST(3), static_argnums=(1,))
def _(x, n):
    for _ in range(n):
        x = x * 2.0
    return x


@program("static_string_branch", A(3), ST("tanh"), static_argnums=(1,))
def _(x, act):
    return jnp.tanh(x) if act == "tanh" else jnp.sin(x)


@program("static_shape_reshape", A(6), ST([2, 3]), static_argnums=(1,))
def _(x, shape):
    return x.reshape(shape)


# ---- nested jit ---------------------------------------------------------------------------------

@jax.jit
def square_plus_one(x):
    return x * x + 1.0


@program("nested_jit", A(3))
def _(x):
    return jnp.sin(square_plus_one(x))


@program("nested_jit_called_twice", A(3))
def _(x):
    return square_plus_one(x) + square_plus_one(x)


@program("nested_jit_lambda", A())
def _(x):
    return jax.jit(lambda y: y + 1.0)(x)


@program("nested_jit_closure_over_tracer", A(3), A())
def _(x, y):
    @jax.jit
    def inner(z):
        return z * y
    return inner(x) + inner(x * 2.0)


big_constant = jnp.arange(3.0)


@jax.jit
def adds_constant(x):
    return x * big_constant + 1.0


@program("nested_jit_closure_over_constant", A(3))
def _(x):
    return adds_constant(x)


@program("nested_jit_unused_result", A())
def _(x):
    def g(y):
        a = jnp.sin(y)
        b = jnp.cos(y)  # noqa: F841
        return a
    return jax.jit(g)(x) * 2.0


@program("nested_jit_passthrough_outputs", A())
def _(x):
    return jax.jit(lambda y: (y, y * 2.0, 3.5))(x)


@program("nested_jit_same_arg_twice", A())
def _(x):
    return jax.jit(lambda y, z: (y, z * 2.0))(x, x)


@program("nested_jit_scalar_argument", A(3))
def _(x):
    return jax.jit(lambda a, s: a * s)(x, 2.5)


@program("nested_jit_twice_nested", A(2))
def _(x):
    @jax.jit
    def inner(y):
        return jnp.exp(y)

    @jax.jit
    def middle(y):
        return inner(y) + inner(y * 2.0)
    return middle(x)


@program("nested_jit_pytree", {"dict": {"a": A(2), "b": A(2)}})
def _(p):
    return jax.jit(lambda q: {"s": q["a"] + q["b"]})(p)["s"]


# ---- constants ----------------------------------------------------------------------------------

captured = jnp.array([1.0, 2.0, 3.0])


@program("captured_constant", A(3))
def _(x):
    return x + captured


@program("iota_arange", A(4))
def _(x):
    return x + jnp.arange(4.0)


@program("zeros_ones_like", A(2, 2))
def _(x):
    return jnp.zeros_like(x) + jnp.ones((2, 2))


@program("literal_output", A())
def _(x):
    return 1.5


@program("unused_results", A(3))
def _(x):
    jnp.cos(x)
    return jnp.sin(x)


@program("identity", A(3))
def _(x):
    return x


# ---- layout: long lines -------------------------------------------------------------------------

@program("many_outputs", A(2, 3))
def _(x):
    return tuple(x + (i + 0.5) for i in range(30))


@program("many_inputs", *[A(2, 3) for _ in range(14)])
def _(*xs):
    return reduce(operator.add, xs)


many_captured = [jnp.full((2,), float(i) + 0.5) for i in range(12)]


@program("many_constants", A(2))
def _(x):
    return reduce(operator.add, [x * c for c in many_captured])


@program("unused_multiple_results", A(4), A(4))
def _(x, y):
    keys, _values = lax.sort((x, y), num_keys=1)
    return keys


@program("negative_int_literal", A(3, dtype="int32"))
def _(i):
    return i * -3 - 2147483647


@program("long_params", A(2, 3), A(4, 3))
def _(a, b):
    return lax.dot_general(a, b, (((1,), (1,)), ((), ())), preferred_element_type=jnp.float32)


# ---- sorting ------------------------------------------------------------------------------------

@program("sort", A(5))
def _(x):
    return jnp.sort(x)


@program("sort_descending", A(2, 3))
def _(x):
    return jnp.sort(x, axis=0, descending=True)


@program("argsort", A(5))
def _(x):
    return jnp.argsort(x)


# ---- control flow (cond, while_loop, fori_loop, scan) -------------------------------------------
# Programs using lax.cond / lax.while_loop / lax.fori_loop / lax.scan go here (and in the same
# section of test/tracing/programs.ts).


# ---- the layout engine --------------------------------------------------------------------------
# Random pretty-printer documents laid out by JAX's own (C++) formatter at several widths, so the
# TypeScript port of the layout rule is checked on more shapes than jaxprs produce.

def random_docs(n: int) -> list:
    import random
    from jax._src import pretty_printer as pp
    rng = random.Random(0)
    words = ["a", "bb", "ccc", "dddd", "lambda ", "{ ", " }", "x:f32[3]", "=", "mul", "[", "]", "(", ")"]

    def gen(depth: int):
        k = rng.random()
        if depth > 4 or k < 0.3:
            w = rng.choice(words)
            return ["text", w], pp.text(w)
        if k < 0.45:
            t = rng.choice([" ", "", "; "])
            return ["brk", t], pp.brk(t)
        if k < 0.65:
            kids = [gen(depth + 1) for _ in range(rng.randint(0, 4))]
            return ["concat", [c[0] for c in kids]], pp.concat([c[1] for c in kids])
        if k < 0.85:
            c = gen(depth + 1)
            return ["group", c[0]], pp.group(c[1])
        c = gen(depth + 1)
        i = rng.randint(0, 4)
        return ["nest", i, c[0]], pp.nest(i, c[1])

    out = []
    for _ in range(n):
        enc, doc = gen(0)
        out.append({"doc": enc, "layouts": {str(w): doc.format(width=w, use_color=False) for w in (4, 10, 20, 40, 80)}})
    return out


def main() -> None:
    layout_out = OUT.parent / "layout.json"
    layout_out.write_text(json.dumps({"jax_version": jax.__version__, "docs": random_docs(300)}, indent=0) + "\n")
    out = []
    for p in PROGRAMS:
        args = [decode(a) for a in p["args"]]
        jaxpr = jax.make_jaxpr(p["f"], static_argnums=tuple(p["static_argnums"]))(*args)
        out.append({"name": p["name"], "args": p["args"], "static_argnums": p["static_argnums"], "jaxpr": str(jaxpr)})
    names = [p["name"] for p in out]
    assert len(names) == len(set(names)), "duplicate program names"
    doc = {"jax_version": jax.__version__, "numpy_version": np.__version__, "programs": out}
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT} ({len(out)} programs)")


if __name__ == "__main__":
    main()
