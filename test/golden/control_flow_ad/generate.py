"""Golden derivatives through control flow: jax.jvp and jax.value_and_grad of programs built on
lax.cond / lax.switch / lax.fori_loop / lax.scan / lax.while_loop, computed with real JAX 0.10.

Regenerate (from the repository root):

    .venv/bin/python test/golden/control_flow_ad/generate.py

It writes test/golden/control_flow_ad/control_flow_ad.json:

  {"jax_version", "programs": [{"name", "args", "tangents", "argnums", "jvp": [out, tangent_out],
                                "value_and_grad": [value, grads] | null}],
   "errors": [{"name", "type", "message"}],
   "kinked_training": {"losses", "w"}            (20 steps of gradient descent on DESIGN example 2),
   "grad_jaxprs": [{"name", "jaxpr"}]            (JAX's text of make_jaxpr(grad(f))),
   "jvp_jaxprs": [{"name", "jaxpr"}]             (make_jaxpr of the jvp: differentiated primals, then tangents),
   "higher_order": {name: value}}                (second derivatives through cond, scan, while)

Arrays are {"dtype", "shape", "data"} (row-major, floats as float32 decimals); JS scalars are
{"scalar": v}. "argnums" are the arguments grad differentiates; "tangents" give one tangent per
argument (null for an integer argument, whose tangent is float0 in JAX and absent in Tracelens).
test/control_flow_ad/programs.ts holds the same programs written with Tracelens' API.
The output is deterministic.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ["JAX_PLATFORMS"] = "cpu"

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

OUT = Path(__file__).resolve().parent / "control_flow_ad.json"
PROGRAMS: list[dict] = []


def arr(values, dtype="float32"):
    return jnp.asarray(np.asarray(values, dtype=dtype))


def program(name, args, tangents, argnums=(0,), grad=True):
    def register(f):
        PROGRAMS.append({"name": name, "f": f, "args": args, "tangents": tangents, "argnums": list(argnums), "grad": grad})
        return f
    return register


def encode(x):
    if isinstance(x, (list, tuple)):
        return [encode(v) for v in x]
    if isinstance(x, dict):
        return {"dict": {k: encode(x[k]) for k in sorted(x)}}
    a = np.asarray(x)
    if a.dtype == np.float32:
        data = [float(np.format_float_positional(v, unique=True, trim="-")) if np.isfinite(v) else str(v) for v in a.ravel()]
    elif a.dtype == np.bool_:
        data = [bool(v) for v in a.ravel()]
    else:
        data = [int(v) for v in a.ravel()]
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": data}


# ---- cond and switch ----------------------------------------------------------------------------

@program("cond_closure", [arr([0.5, -1.0, 2.0]), arr([1.5, 0.25, -2.0])], [arr([1.0, 0.5, -1.0]), arr([0.3, -0.2, 0.1])], argnums=(0, 1))
def _(x, y):
    c = y * 2.0  # closed over by both branches: its derivative flows through the cond's consts
    out = lax.cond(jnp.sum(x) > 0, lambda v: jnp.sin(v) * c, lambda v: jnp.cos(v) + c, x)
    return jnp.sum(out)


@program("cond_closure_false", [arr([-0.5, -1.0, 0.2]), arr([1.5, 0.25, -2.0])], [arr([1.0, 0.5, -1.0]), arr([0.3, -0.2, 0.1])], argnums=(0, 1))
def _(x, y):
    c = y * 2.0
    out = lax.cond(jnp.sum(x) > 0, lambda v: jnp.sin(v) * c, lambda v: jnp.cos(v) + c, x)
    return jnp.sum(out)


@program("cond_unused_operand", [arr(0.7), arr(-1.3)], [arr(1.0), arr(2.0)], argnums=(0, 1))
def _(a, b):
    # The true branch ignores b and returns a constant second output: tangents are instantiated zeros.
    p, q = lax.cond(a > 0, lambda a, b: (a * a, jnp.float32(3.0)), lambda a, b: (a * b, jnp.sin(b)), a, b)
    return p * q


@program("switch_three", [arr(1, "int32"), arr([0.5, 1.5, -2.0])], [None, arr([1.0, -1.0, 0.5])], argnums=(1,))
def _(i, x):
    return jnp.sum(lax.switch(i, [lambda v: v * v, lambda v: jnp.sin(v) * v, lambda v: v * 3.0], x))


@program("switch_clamped", [arr(7, "int32"), arr([0.5, 1.5, -2.0])], [None, arr([1.0, -1.0, 0.5])], argnums=(1,))
def _(i, x):
    return jnp.sum(lax.switch(i, [lambda v: v * v, lambda v: jnp.sin(v) * v, lambda v: jnp.exp(v)], x))


# ---- fori with static bounds (a scan) ------------------------------------------------------------

@program("fori_sum_of_powers", [arr(1.1)], [arr(1.0)])
def _(x):
    # 1 + x + x^2 + ... + x^5
    def body(i, c):
        acc, p = c
        return acc + p * x, p * x
    acc, _ = lax.fori_loop(0, 5, body, (jnp.float32(1.0), jnp.float32(1.0)))
    return acc


@program("fori_horner", [arr(0.6), arr([2.0, -1.0, 0.5, 3.0, -0.25])], [arr(1.0), arr([0.1, 0.2, 0.3, 0.4, 0.5])], argnums=(0,))
def _(x, coeffs):
    return lax.fori_loop(0, 5, lambda i, acc: acc * x + coeffs[i], jnp.float32(0.0))


# ---- scan ------------------------------------------------------------------------------------------

@program("scan_cumprod", [arr([1.5, -0.5, 2.0, 0.75])], [arr([1.0, 0.5, -0.25, 2.0])])
def _(xs):
    c, ys = lax.scan(lambda c, x: (c * x, c * x), jnp.float32(1.0), xs)
    return jnp.sum(ys) + c


@program("scan_rnn",
         [arr([[0.5, -0.3], [0.2, 0.8]]), arr([0.1, -0.2]), arr([[1.0, 0.5], [-0.5, 0.25], [0.3, -1.0]])],
         [arr([[0.1, 0.2], [-0.3, 0.4]]), arr([1.0, -1.0]), arr([[0.5, 0.5], [0.0, 1.0], [-1.0, 0.2]])],
         argnums=(0, 1, 2))
def _(w, h0, xs):
    def step(h, x):
        h = jnp.tanh(w @ h + x)
        return h, jnp.sum(h * h)
    h, ys = lax.scan(step, h0, xs)
    return jnp.sum(ys) + jnp.sum(h)


@program("scan_reverse", [arr([0.5, -1.0, 2.0, 0.25]), arr(0.3)], [arr([1.0, -0.5, 0.25, 2.0]), arr(1.0)], argnums=(0, 1))
def _(xs, c0):
    def step(c, x):
        c = c * 0.5 + jnp.sin(x)
        return c, c * x
    c, ys = lax.scan(step, c0, xs, reverse=True)
    return jnp.sum(ys * jnp.arange(1.0, 5.0)) + c


@program("cond_in_scan", [arr([1.5, -0.5, 2.0, -1.0]), arr(0.8)], [arr([1.0, 0.5, -0.25, 2.0]), arr(-1.0)], argnums=(0, 1))
def _(xs, c0):
    def step(c, x):
        c = lax.cond(x > 0, lambda c, x: c * x, lambda c, x: jnp.sin(c) - x, c, x)
        return c, c * c
    c, ys = lax.scan(step, c0, xs)
    return jnp.sum(ys) + c


@program("scan_under_fori", [arr([0.2, -0.4, 0.6])], [arr([1.0, 1.0, -1.0])])
def _(x):
    # A static fori whose body scans: nested scans.
    def body(i, v):
        _, ys = lax.scan(lambda c, e: (c + e, jnp.sin(c + e)), jnp.float32(0.0), v)
        return ys * 1.5
    return jnp.sum(lax.fori_loop(0, 3, body, x))


# ---- while (forward mode only) -------------------------------------------------------------------

@program("while_forward", [arr(0.4)], [arr(1.0)], grad=False)
def _(x):
    def body(c):
        i, v = c
        return i + 1, v * jnp.cos(v) + x
    _, v = lax.while_loop(lambda c: c[0] < 4, body, (0, x))
    return v


@program("while_data_dependent", [arr([0.3, 0.7])], [arr([1.0, -2.0])], grad=False)
def _(x):
    # Doubles until the sum passes 10: the trip count depends on the value, not the tangent.
    return lax.while_loop(lambda v: jnp.sum(v) < 10.0, lambda v: v * 2.0 + jnp.sin(v), x)


@program("fori_dynamic_bounds", [arr(3, "int32"), arr(0.9)], [None, arr(1.0)], argnums=(1,), grad=False)
def _(n, x):
    return lax.fori_loop(0, n, lambda i, v: v * v * 0.5 + 1.0, x)


# ---- DESIGN example 2: kinked linear regression --------------------------------------------------

XS = arr([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0])
YS = arr([-1.1, -0.4, -0.3, 0.2, 0.9, 2.1, 2.9, 4.2])


def predict(w, x):
    return lax.cond(x > 0, lambda: w["a"] * x + w["b"], lambda: w["c"] * x + w["b"])


@program("kinked_regression_loss", [{"a": arr(1.0), "b": arr(0.0), "c": arr(0.5)}],
         [{"a": arr(1.0), "b": arr(-0.5), "c": arr(0.25)}])
def _(w):
    return jnp.mean((jax.vmap(predict, in_axes=(None, 0))(w, XS) - YS) ** 2)


@program("kinked_regression_per_example", [{"a": arr(1.0), "b": arr(0.0), "c": arr(0.5)}],
         [{"a": arr(1.0), "b": arr(-0.5), "c": arr(0.25)}])
def _(w):
    total = jnp.float32(0.0)
    for x, y in zip(XS, YS):
        total = total + (predict(w, jnp.float32(x)) - y) ** 2
    return total / len(XS)


def kinked_training():
    """20 steps of gradient descent with value_and_grad, as examples/ runs it."""
    w = {"a": arr(1.0), "b": arr(0.0), "c": arr(0.5)}
    loss_fn = lambda w: jnp.mean((jax.vmap(predict, in_axes=(None, 0))(w, XS) - YS) ** 2)
    losses = []
    for _ in range(20):
        loss, g = jax.value_and_grad(loss_fn)(w)
        w = jax.tree.map(lambda p, d: p - 0.1 * d, w, g)
        losses.append(loss)
    return {"losses": encode(jnp.stack(losses)), "w": encode(w)}


def higher_order():
    """Second derivatives through control flow: derivatives of the rules' own output."""
    h = lambda x: lax.cond(x > 0, lambda v: jnp.sin(v) * v, lambda v: v * v * v, x)
    s = lambda x: lax.scan(lambda c, e: (c * e + jnp.sin(c), c), x, jnp.array([1.5, 0.5, 2.0], dtype=jnp.float32))[0]
    w2 = lambda x: lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, jnp.sin(c[1])), (0, x))[1]
    rnn = next(p["f"] for p in PROGRAMS if p["name"] == "scan_rnn")
    h0, xs = arr([0.1, -0.2]), arr([[1.0, 0.5], [-0.5, 0.25], [0.3, -1.0]])
    return {
        "grad_grad_cond": [encode(jax.grad(jax.grad(h))(arr(0.7))), encode(jax.grad(jax.grad(h))(arr(-0.7)))],
        "grad_grad_scan": encode(jax.grad(jax.grad(s))(arr(0.3))),
        "hessian_rnn": encode(jax.hessian(lambda w: rnn(w, h0, xs))(arr([[0.5, -0.3], [0.2, 0.8]]))),
        "jvp_jvp_while": encode(jax.jvp(lambda x: jax.jvp(w2, (x,), (jnp.float32(1.0),))[1], (arr(0.5),), (arr(1.0),))[1]),
        "vmap_grad_cond": encode(jax.vmap(jax.grad(lambda x: lax.cond(x > 0, lambda v: v * v, jnp.sin, x)))(arr([-1.0, 0.5, 2.0]))),
    }


GRAD_JAXPRS = ["scan_cumprod", "scan_reverse", "scan_rnn", "fori_sum_of_powers", "cond_in_scan", "switch_three", "cond_closure"]

JVP_JAXPRS = ["cond_closure", "cond_unused_operand", "fori_sum_of_powers", "scan_cumprod", "scan_rnn", "scan_reverse",
              "cond_in_scan", "scan_under_fori", "while_forward", "while_data_dependent"]


def main():
    programs = []
    for p in PROGRAMS:
        f, args = p["f"], p["args"]
        tangents = p["tangents"]
        diff = [i for i, t in enumerate(tangents) if t is not None]

        def f_diff(*dargs, f=f, args=args, diff=diff):
            full = list(args)
            for i, a in zip(diff, dargs):
                full[i] = a
            return f(*full)
        out, tout = jax.jvp(f_diff, tuple(args[i] for i in diff), tuple(tangents[i] for i in diff))
        entry = {"name": p["name"], "args": encode(args), "tangents": [None if t is None else encode(t) for t in tangents],
                 "argnums": p["argnums"], "jvp": [encode(out), encode(tout)], "value_and_grad": None}
        if p["grad"]:
            value, grads = jax.value_and_grad(f, argnums=tuple(p["argnums"]))(*args)
            entry["value_and_grad"] = [encode(value), encode(list(grads))]
        programs.append(entry)
    errors = []
    for name, f, args in [
        ("grad_while", lambda x: lax.while_loop(lambda v: v < 10.0, lambda v: v * 2.0, x), (arr(1.0),)),
        # Under jit the bounds are traced, so fori_loop is a while loop.
        ("grad_fori_dynamic", lambda n, x: jax.jit(lambda n, x: lax.fori_loop(0, n, lambda i, v: v * v, x))(n, x), (arr(3, "int32"), arr(0.9))),
    ]:
        try:
            jax.jit(jax.grad(f, argnums=len(args) - 1))(*args)
            raise SystemExit(f"{name} did not raise")
        except ValueError as e:
            errors.append({"name": name, "type": type(e).__name__, "message": str(e)})
    # JAX's text of make_jaxpr(grad(f)) for some programs (argnums as in the program).
    by_name = {p["name"]: p for p in PROGRAMS}
    grad_jaxprs = []
    for name in GRAD_JAXPRS:
        p = by_name[name]
        text = str(jax.make_jaxpr(jax.grad(p["f"], argnums=tuple(p["argnums"])))(*p["args"]))
        grad_jaxprs.append({"name": name, "jaxpr": text})
    # JAX's text of make_jaxpr of the jvp: a function of the differentiated primals, then their tangents.
    jvp_jaxprs = []
    for name in JVP_JAXPRS:
        p = by_name[name]
        args, tangents = p["args"], p["tangents"]
        diff = [i for i, t in enumerate(tangents) if t is not None]

        def f_diff(*dargs, f=p["f"], args=args, diff=diff):
            full = list(args)
            for i, a in zip(diff, dargs):
                full[i] = a
            return f(*full)
        jvp_fn = lambda *d, f_diff=f_diff, n=len(diff): jax.jvp(f_diff, tuple(d[:n]), tuple(d[n:]))
        text = str(jax.make_jaxpr(jvp_fn)(*[args[i] for i in diff], *[tangents[i] for i in diff]))
        jvp_jaxprs.append({"name": name, "jaxpr": text})
    doc = {"jax_version": jax.__version__, "programs": programs, "errors": errors, "kinked_training": kinked_training(),
           "grad_jaxprs": grad_jaxprs, "jvp_jaxprs": jvp_jaxprs, "higher_order": higher_order()}
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT} ({len(programs)} programs, {len(errors)} errors)")


if __name__ == "__main__":
    main()
