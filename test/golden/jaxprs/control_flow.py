"""Golden control-flow programs: JAX 0.10's jaxpr text, result values and error messages for
lax.cond / lax.switch / lax.while_loop / lax.fori_loop / lax.scan.

Regenerate (from the repository root):

    .venv/bin/python test/golden/jaxprs/control_flow.py

It writes test/golden/jaxprs/control_flow.json:

  {"jax_version", "numpy_version",
   "programs": [{"name", "args", "static_argnums", "jaxpr", "out"}],
   "errors": [{"name", "args", "type", "message", "exact"}]}

Arguments use the encoding of generate.py (same `fill` values). "out" is the pytree of results of
calling the program on its arguments: lists for tuples and lists, {"dict": {...}} for dicts, and
arrays as {"dtype", "shape", "data", "weak"} (floats as the shortest decimal that reads back to the
same float32; NaN/inf as strings). test/control_flow/programs.ts has the same programs written
with Tracelens' API (same names, same order).

Error messages: JAX names functions with their source location (`true_fun is f at /path.py:12`),
which JS cannot know, so " at <file>:<line>" is removed; the carry's leaf class prints as
ShapedArray rather than jax._src.core.ShapedArray. "exact": false marks a message that shows the
value of the program's first argument, which NumPy prints and Tracelens may not know without a
readback: such a message is given as "prefix" and "suffix", the text around that value.

The output is deterministic, so regenerating with the same JAX version gives a byte-identical file.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import A, S, decode  # noqa: E402  (also sets JAX_PLATFORMS=cpu)

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

OUT = Path(__file__).resolve().parent / "control_flow.json"

PROGRAMS: list[dict] = []
ERRORS: list[dict] = []


def program(name: str, *args, static_argnums: tuple[int, ...] = ()):
    def register(f):
        PROGRAMS.append({"name": name, "f": f, "args": list(args), "static_argnums": list(static_argnums)})
        return f
    return register


def error(name: str, *args, exact: bool = True):
    def register(f):
        ERRORS.append({"name": name, "f": f, "args": list(args), "exact": exact})
        return f
    return register


CAPTURED = jnp.array([0.5, -1.0, 2.0], dtype=jnp.float32)

# ---- cond and switch ----------------------------------------------------------------------------


@program("cond_bool_pred", A(dtype="bool"), A(3))
def _(p, x):
    return lax.cond(p, lambda x: jnp.sin(x), lambda x: jnp.cos(x) + 1.0, x)


@program("cond_int_pred", A(dtype="int32"), A(3))
def _(i, x):
    return lax.cond(i, lambda x: x + 1.0, lambda x: x * 2.0, x)


@program("cond_float_pred", A(), A(3))
def _(p, x):
    return lax.cond(p, lambda x: x - 1.0, lambda x: x * 3.0, x)


@program("cond_js_bool_pred", A(3))
def _(x):
    return lax.cond(True, lambda x: x + 1.0, lambda x: x, x)


@program("cond_computed_pred", A(3))
def _(x):
    return lax.cond(x.sum() > 0, lambda x: x * x, lambda x: -x, x)


@program("cond_pytree", A(dtype="bool"), {"dict": {"a": A(3), "b": A(2)}})
def _(p, d):
    def true_fun(d):
        return [d["a"] * 2.0, {"s": d["b"].sum()}]

    def false_fun(d):
        return [d["a"] - 1.0, {"s": d["b"].max()}]
    return lax.cond(p, true_fun, false_fun, d)


@program("cond_closure", A(dtype="bool"), A(3))
def _(p, x):
    return lax.cond(p, lambda x: x * CAPTURED, lambda x: x + CAPTURED, x)


@program("cond_closure_over_argument", A(dtype="bool"), A(3), A(3))
def _(p, x, y):
    return lax.cond(p, lambda x: x * y, lambda x: x - y, x)


@program("cond_forwarded_output", A(dtype="bool"), A(3))
def _(p, x):
    return lax.cond(p, lambda x: [x, x * 2.0], lambda x: [x, x + 0.5], x)


@program("cond_no_operands", A(3))
def _(x):
    return lax.cond(x[0] > 0, lambda: 1.5, lambda: 2.5)


@program("cond_multiple_operands", A(dtype="bool"), A(3), A(3))
def _(p, x, y):
    return lax.cond(p, lambda a, b: a * b, lambda a, b: a - b, x, y)


@program("switch_three", A(dtype="int32"), A(3))
def _(i, x):
    return lax.switch(i, [lambda x: x * CAPTURED, lambda x: x + 1.0, lambda x: x], x)


@program("switch_js_index", A(3))
def _(x):
    return lax.switch(1, [lambda x: x + 1.0, lambda x: x * 2.0], x)


@program("switch_clamped", A(3))
def _(x):
    return lax.switch(7, [lambda x: x + 1.0, lambda x: x * 2.0, lambda x: x - 3.0], x)


# ---- while_loop ----------------------------------------------------------------------------------


@program("while_counter", A(3))
def _(x):
    return lax.while_loop(lambda c: c[0] < 10, lambda c: [c[0] + 1, c[1] * 1.5], [0, x])


@program("while_closure", A(3))
def _(x):
    return lax.while_loop(lambda c: c[0] < 4, lambda c: [c[0] + 1, c[1] * CAPTURED + 1.0], [0, x])


@program("while_data_dependent", A())
def _(x):
    return lax.while_loop(lambda v: v < 100.0, lambda v: v * 2.0 + 1.0, jnp.abs(x) + 0.5)


@program("while_forwarded_carry", A(3), A(3))
def _(x, y):
    # y passes through unchanged and the cond does not read it: it becomes a body const.
    return lax.while_loop(lambda c: c[0] < 3, lambda c: [c[0] + 1, c[1] + c[2], c[2]], [0, x, y])


@program("while_dict_carry", A(2))
def _(x):
    def body(c):
        return {"n": c["n"] + 1, "v": c["v"] + c["v"]}
    return lax.while_loop(lambda c: c["v"].sum() < 50.0, body, {"n": 0, "v": jnp.abs(x) + 1.0})


@program("while_weak_init_promoted", A(3))
def _(x):
    return lax.while_loop(lambda c: c[0] < 3.5, lambda c: [c[0] + jnp.float32(0.75), c[1] * 2.0], [0, x])


# ---- fori_loop -----------------------------------------------------------------------------------


@program("fori_concrete_bounds", A(3))
def _(x):
    return lax.fori_loop(0, 3, lambda i, c: c * 2.0 + i, x)


@program("fori_traced_upper", S(3), A(3))
def _(n, x):
    return lax.fori_loop(0, n, lambda i, c: c * 2.0 + i, x)


@program("fori_traced_bounds", A(dtype="int32"), A(dtype="int32"), A(3))
def _(lo, hi, x):
    return lax.fori_loop(lo, hi + 5, lambda i, c: c + i, x)


@program("fori_pytree_carry", A(3))
def _(x):
    def body(i, c):
        return [c[0] + c[1] * i, c[1] * 0.5]
    return lax.fori_loop(1, 4, body, [x, x + 1.0])


# ---- scan ----------------------------------------------------------------------------------------


@program("scan_cumulative", A(), A(4))
def _(c, xs):
    return lax.scan(lambda c, x: (c + x * CAPTURED[0], c * x), c, xs)


@program("scan_reverse", A(), A(5))
def _(c, xs):
    return lax.scan(lambda c, x: (c * 0.5 + x, c + x), c, xs, reverse=True)


@program("scan_length_only", A())
def _(c):
    return lax.scan(lambda c, _: (c + 1.0, c * c), c, None, length=5)


@program("scan_pytree", {"dict": {"s": A(), "v": A(2)}}, [A(3), A(3, 2)])
def _(carry, xs):
    def f(carry, x):
        a, b = x
        new = {"s": carry["s"] + a, "v": carry["v"] * 0.5 + b}
        return new, [carry["s"] * a, b.sum()]
    return lax.scan(f, carry, xs)


@program("scan_forwarded_carry", A(), A(3))
def _(c, xs):
    # The carry is returned unchanged: JAX makes it a const.
    return lax.scan(lambda c, x: (c, x * c), c, xs)


@program("scan_forwarded_xs", A(), A(3))
def _(c, xs):
    # A y that is the x itself is not computed by the scan.
    return lax.scan(lambda c, x: (c + x, x), c, xs)


@program("scan_weak_init", A(3))
def _(xs):
    return lax.scan(lambda c, x: (c + x, c), 0, xs)


@program("scan_matrix_rows", A(2, 3), A(4, 3))
def _(w, xs):
    def f(h, x):
        h2 = jnp.tanh(w @ (x + h[:3].sum()))
        return h + h2.sum(), h2
    return lax.scan(f, jnp.zeros(3), xs)


@program("scan_select", A(), A(4))
def _(c, xs):
    return lax.scan(lambda c, x: (lax.select(x > 0, c + x, c * 0.5), c), c, xs)


# ---- nested --------------------------------------------------------------------------------------


@program("nested_cond_in_scan", A(5))
def _(xs):
    def f(c, x):
        y = lax.cond(x > 0, lambda v: v * 2.0, lambda v: -v, x)
        return c + y, y
    return lax.scan(f, jnp.float32(0.25), xs)


@program("nested_while_in_cond", A(dtype="bool"), A())
def _(p, x):
    def grow(v):
        return lax.while_loop(lambda u: u < 10.0, lambda u: u * 3.0, v)
    return lax.cond(p, grow, lambda v: v - 1.0, jnp.abs(x) + 0.5)


@program("nested_scan_in_fori", A(3))
def _(x):
    def body(i, c):
        _, ys = lax.scan(lambda s, e: (s + e, s * e), c[0], c)
        return c + ys
    return lax.fori_loop(0, 2, body, x)


@program("nested_switch_in_while", A(3))
def _(x):
    def body(c):
        i, v = c
        v = lax.switch(lax.rem(i, 3), [lambda v: v + 1.0, lambda v: v * 2.0, lambda v: v - 0.5], v)
        return [i + 1, v]
    return lax.while_loop(lambda c: c[0] < 5, body, [0, x])


@jax.jit
def clipped_step(p, x):
    return lax.cond(p, lambda v: jnp.minimum(v, 1.0), lambda v: jnp.maximum(v, -1.0), x)


@program("nested_cond_in_jit", A(dtype="bool"), A(3))
def _(p, x):
    return clipped_step(p, x * 3.0) + 1.0


# ---- errors --------------------------------------------------------------------------------------


@error("cond_branch_dtype_mismatch", A(3))
def _(x):
    def true_fun(x):
        return x

    def false_fun(x):
        return x.astype(jnp.int32)
    return lax.cond(True, true_fun, false_fun, x)


@error("cond_branch_shape_mismatch", A(3))
def _(x):
    def tf(x):
        return x

    def ff(x):
        return x[:2]
    return lax.cond(True, tf, ff, x)


@error("cond_branch_several_mismatches", A(3))
def _(x):
    def tf(x):
        return [x, x]

    def ff(x):
        return [x.astype(jnp.int32), x[:1]]
    return lax.cond(True, tf, ff, x)


@error("cond_branch_structure_mismatch", A(3))
def _(x):
    def tf(x):
        return {"a": x}

    def ff(x):
        return {"b": x}
    return lax.cond(True, tf, ff, x)


@error("cond_branch_length_mismatch", A(3))
def _(x):
    def tf(x):
        return [x, x]

    def ff(x):
        return [x]
    return lax.cond(True, tf, ff, x)


@error("switch_branch_mismatch", A(3))
def _(x):
    def b0(x):
        return x

    def b1(x):
        return x * 2

    def b2(x):
        return x.astype(jnp.int32)
    return lax.switch(1, [b0, b1, b2], x)


@error("while_carry_dtype", A(3))
def _(x):
    def body(c):
        return c.astype(jnp.int32)
    return lax.while_loop(lambda c: True, body, x)


@error("while_carry_component_shape", A(3))
def _(x):
    def body(carry):
        return [carry[0], carry[1][:1]]
    return lax.while_loop(lambda c: True, body, [x, x])


@error("while_carry_structure", A(3))
def _(x):
    def body(c):
        return c[0]
    return lax.while_loop(lambda c: True, body, [x, x])


@error("while_cond_not_bool", A(3))
def _(x):
    return lax.while_loop(lambda c: c.sum(), lambda c: c, x)


@error("while_cond_not_scalar", A(3))
def _(x):
    return lax.while_loop(lambda c: c > 0, lambda c: c, x)


@error("scan_carry_dtype", A(3))
def _(x):
    def f(carry, x):
        return carry.astype(jnp.int32), x
    return lax.scan(f, x, x)


@error("scan_carry_structure", A(3))
def _(x):
    def f(carry, x):
        return [carry, carry], x
    return lax.scan(f, x, x)


@error("scan_body_not_pair", A(3))
def _(x):
    return lax.scan(lambda c, x: c, x, x)


@error("scan_no_length", A(3))
def _(x):
    return lax.scan(lambda c, x: (c, x), x, None)


@error("scan_length_disagrees", A(3))
def _(x):
    return lax.scan(lambda c, x: (c, x), x, x, length=5)


@error("scan_different_lengths", A(3), A(4))
def _(x, y):
    return lax.scan(lambda c, x: (c, x), x, [x, y])


@error("fori_carry_dtype", A(3))
def _(x):
    return lax.fori_loop(0, 3, lambda i, c: c.astype(jnp.int32), x)


@error("fori_bound_types", A(dtype="int32"), A(dtype="uint32"), A(3))
def _(lo, hi, x):
    return lax.fori_loop(lo, hi, lambda i, c: c, x)


@error("cond_pred_not_scalar", A(3), exact=False)
def _(x):
    return lax.cond(x, lambda x: x, lambda x: x, x)


@error("switch_index_not_scalar", A(3, dtype="int32"), A(3), exact=False)
def _(i, x):
    return lax.switch(i, [lambda x: x, lambda x: x], x)


@error("switch_float_index", A(), A(3), exact=False)
def _(i, x):
    return lax.switch(i, [lambda x: x, lambda x: x], x)


@error("switch_no_branches", A(3))
def _(x):
    return lax.switch(1, [], x)


# ---- encoding ------------------------------------------------------------------------------------


def encode_float(v: float):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    f = np.float32(v)
    for digits in range(1, 18):
        s = f"{float(f):.{digits}g}"
        if np.float32(float(s)) == f:
            return float(s)
    return float(f)


def encode_out(x):
    if isinstance(x, (list, tuple)):
        return [encode_out(v) for v in x]
    if isinstance(x, dict):
        return {"dict": {k: encode_out(v) for k, v in sorted(x.items())}}
    a = np.asarray(x)
    dtype = str(a.dtype)
    flat = a.reshape(-1).tolist()
    if dtype.startswith("float"):
        data = [encode_float(v) for v in flat]
    elif dtype == "bool":
        data = [bool(v) for v in flat]
    else:
        data = [int(v) for v in flat]
    out = {"dtype": dtype, "shape": list(a.shape), "data": data}
    if isinstance(x, jax.Array) and jax.typeof(x).weak_type:
        out["weak"] = True
    return out


def clean_message(msg: str) -> str:
    msg = re.sub(r" at \S+:\d+", "", msg)
    return msg.replace("jax._src.core.ShapedArray", "ShapedArray")


def main() -> None:
    programs = []
    for p in PROGRAMS:
        args = [decode(a) for a in p["args"]]
        jaxpr = jax.make_jaxpr(p["f"], static_argnums=tuple(p["static_argnums"]))(*args)
        out = p["f"](*args)
        programs.append({"name": p["name"], "args": p["args"], "static_argnums": p["static_argnums"],
                         "jaxpr": str(jaxpr), "out": encode_out(out)})
    errors = []
    for e in ERRORS:
        args = [decode(a) for a in e["args"]]
        try:
            e["f"](*args)
        except Exception as exc:  # noqa: BLE001
            msg = clean_message(str(exc))
            entry = {"name": e["name"], "args": e["args"], "type": type(exc).__name__, "message": msg, "exact": e["exact"]}
            if not e["exact"]:
                prefix, suffix = msg.split(str(args[0]), 1)
                entry.update(prefix=prefix, suffix=suffix)
            errors.append(entry)
        else:
            raise AssertionError(f"error program {e['name']} did not raise")
    names = [p["name"] for p in programs] + [e["name"] for e in errors]
    assert len(names) == len(set(names)), "duplicate program names"
    doc = {"jax_version": jax.__version__, "numpy_version": np.__version__, "programs": programs, "errors": errors}
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT} ({len(programs)} programs, {len(errors)} errors)")


if __name__ == "__main__":
    main()
