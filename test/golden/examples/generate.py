"""Golden values for the example programs (examples/*.ts) and the composition tests, from real JAX.

Regenerate (from the repository root):

    .venv/bin/python test/golden/examples/generate.py

Writes test/golden/examples/{chebyshev,kinked_regression,three_body,fixed_point,composition}.json.
Deterministic: inputs are written into the JSON (the TypeScript side reads them from there), so both
sides see the same float32 values. Arrays are {"dtype", "shape", "data"} with row-major data; NaN and
infinities are the strings "nan", "inf", "-inf".
"""

from __future__ import annotations

import json
import math
import os
from functools import partial
from pathlib import Path

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

OUT = Path(__file__).parent


def num(v: float):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return float(np.float32(v)) if abs(v) < 3.4e38 else v


def enc(x) -> dict:
    a = np.asarray(x)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": [num(v) for v in a.reshape(-1).tolist()]}


def enc_tree(t):
    if isinstance(t, dict):
        return {k: enc_tree(v) for k, v in t.items()}
    if isinstance(t, (list, tuple)):
        return [enc_tree(v) for v in t]
    return enc(t)


def write(name: str, payload: dict) -> None:
    payload = {"jax_version": jax.__version__, **payload}
    (OUT / f"{name}.json").write_text(json.dumps(payload, indent=1) + "\n")


# ---- 1. Chebyshev: T_n = cos(n arccos x), d/dx by vmap(grad) ----------------------------------------

def chebyshev() -> None:
    # Which primitive JAX's debug_nans blames for the NaN of dT2 at x = 1. First, before anything
    # else has run: JAX checks for NaNs where it dispatches, and cached executables skip that path.
    jax.config.update("jax_debug_nans", True)
    try:
        jax.grad(lambda x: jnp.cos(2 * jnp.arccos(x)))(jnp.float32(1.0))
        debug_nans = None
    except FloatingPointError as e:
        debug_nans = str(e).splitlines()[0]
    finally:
        jax.config.update("jax_debug_nans", False)
    xs = jnp.linspace(-1.0, 1.0, 9, dtype=jnp.float32)
    out = {"xs": enc(xs), "T": {}, "dT": {}, "debug_nans": debug_nans}
    for n in (2, 3, 4):
        t = lambda x, n=n: jnp.cos(n * jnp.arccos(x))
        out["T"][str(n)] = enc(jax.vmap(t)(xs))
        out["dT"][str(n)] = enc(jax.vmap(jax.grad(t))(xs))
    write("chebyshev", out)


# ---- 2. Kinked linear regression ---------------------------------------------------------------------

def kinked_regression() -> None:
    xs = jnp.linspace(-2.0, 2.0, 21, dtype=jnp.float32)
    true = jnp.where(xs < 0.5, -1.0 * xs + 0.5, 2.0 * xs - 1.0)
    ys = (true + 0.1 * jnp.sin(7.0 * xs)).astype(jnp.float32)
    params = {"b": jnp.float32(0.0), "k": jnp.float32(0.5), "w_left": jnp.float32(0.0), "w_right": jnp.float32(0.0)}

    def predict(params, x):
        # a line of slope w_left left of the kink k, of slope w_right right of it, continuous at k
        return lax.cond(x < params["k"],
                        lambda x: params["w_left"] * (x - params["k"]) + params["b"],
                        lambda x: params["w_right"] * (x - params["k"]) + params["b"],
                        x)

    def loss(params, xs, ys):
        preds = jax.vmap(predict, in_axes=(None, 0))(params, xs)
        return jnp.mean((preds - ys) ** 2)

    lr = 0.1
    losses, trajectory = [], []
    step = jax.jit(jax.value_and_grad(loss))
    for _ in range(30):
        value, grads = step(params, xs, ys)
        losses.append(value)
        params = jax.tree.map(lambda p, g: p - lr * g, params, grads)
        trajectory.append(params)
    write("kinked_regression", {
        "xs": enc(xs), "ys": enc(ys), "lr": lr, "steps": 30,
        "losses": enc(jnp.stack(losses)),
        "params_after": [enc_tree(p) for p in trajectory[:5]],
        "final_params": enc_tree(params),
    })


# ---- 3. Three bodies ---------------------------------------------------------------------------------

def three_body() -> None:
    T = 8
    ts = np.arange(T, dtype=np.float32) * np.float32(0.25)
    radius = np.array([1.0, 1.5, 2.0], np.float32)
    omega = np.array([1.0, 0.6, 0.35], np.float32)
    phase = np.array([0.0, 2.0, 4.0], np.float32)
    ang = ts[:, None] * omega[None, :] + phase[None, :]
    q = np.stack([radius * np.cos(ang), radius * np.sin(ang)], axis=-1).astype(np.float32)  # [T, 3, 2]
    qdot = np.stack([-radius * omega * np.sin(ang), radius * omega * np.cos(ang)], axis=-1).astype(np.float32)
    masses = np.array([3.0, 1.0, 0.5], np.float32)
    G = np.float32(1.0)
    soft = np.float32(0.01)

    def kinetic(qdot_t, masses, G, soft):
        del G, soft  # same signature as the potential, so both vmap with in_axes=(0, None, None, None)
        return 0.5 * jnp.sum(masses * jnp.sum(qdot_t ** 2, axis=-1))

    def potential(q_t, masses, G, soft):
        diff = q_t[:, None, :] - q_t[None, :, :]
        dist = jnp.sqrt(jnp.sum(diff ** 2, axis=-1) + soft)
        pair = masses[:, None] * masses[None, :] / dist
        mask = 1.0 - jnp.eye(3, dtype=jnp.float32)
        return -0.5 * G * jnp.sum(pair * mask)

    def lagrangian(q_t, qdot_t, masses, G, soft):
        k = kinetic(qdot_t, masses, G, soft)
        v = potential(q_t, masses, G, soft)
        return k - v, {"kinetic": k, "potential": v}

    ke = jax.vmap(kinetic, in_axes=(0, None, None, None))(jnp.asarray(qdot), masses, G, soft)
    pe = jax.vmap(potential, in_axes=(0, None, None, None))(jnp.asarray(q), masses, G, soft)
    (L0, aux0), dL = jax.value_and_grad(lagrangian, argnums=(0, 1), has_aux=True)(q[0], qdot[0], masses, G, soft)
    write("three_body", {
        "q": enc(q), "qdot": enc(qdot), "masses": enc(masses), "G": float(G), "soft": float(soft),
        "kinetic": enc(ke), "potential": enc(pe),
        "L0": enc(L0), "aux0": enc_tree(aux0), "dL_dq0": enc(dL[0]), "dL_dqdot0": enc(dL[1]),
    })


# ---- 4. Fixed-point layer with an implicit-function-theorem custom_vjp -----------------------------

def fixed_point() -> None:
    # Inputs from formulas the TypeScript example repeats (computed in float64, rounded to float32).
    n = 4
    W = np.array([[0.15 * math.sin(1.7 * i + 0.9 * j + 0.3) for j in range(n)] for i in range(n)]).astype(np.float32)
    x = np.array([math.cos(1.3 * i + 0.5) for i in range(n)]).astype(np.float32)
    iters = 60

    def f(W, z, x):
        return jnp.tanh(W @ z + x)

    def solve(W, x):
        return lax.fori_loop(0, iters, lambda i, z: f(W, z, x), jnp.zeros_like(x))

    @jax.custom_vjp
    def layer(W, x):
        return solve(W, x)

    def layer_fwd(W, x):
        z = solve(W, x)
        return z, (W, x, z)

    def layer_bwd(res, g):
        W, x, z = res
        _, vjp_a = jax.vjp(lambda z: f(W, z, x), z)
        # u = g + (df/dz)^T u, by the same fixed-point iteration
        u = lax.fori_loop(0, iters, lambda i, u: g + vjp_a(u)[0], g)
        _, vjp_wx = jax.vjp(lambda W, x: f(W, z, x), W, x)
        return vjp_wx(u)

    layer.defvjp(layer_fwd, layer_bwd)

    def loss_implicit(W, x):
        return jnp.sum(layer(W, x) ** 2)

    def loss_unrolled(W, x):
        z = jnp.zeros_like(x)
        for _ in range(iters):
            z = f(W, z, x)
        return jnp.sum(z ** 2)

    z = layer(W, x)
    gi = jax.grad(loss_implicit, argnums=(0, 1))(W, x)
    gu = jax.grad(loss_unrolled, argnums=(0, 1))(W, x)
    write("fixed_point", {
        "W": enc(W), "x": enc(x), "iters": iters, "z": enc(z), "loss": enc(loss_implicit(W, x)),
        "grad_implicit": {"W": enc(gi[0]), "x": enc(gi[1])},
        "grad_unrolled": {"W": enc(gu[0]), "x": enc(gu[1])},
    })


# ---- composition: pairs and triples of jit, grad, vmap, jvp ------------------------------------------

def composition() -> None:
    xs = jnp.array([0.3, -0.7, 1.1, 0.05], jnp.float32)

    def f(x):
        return jnp.sin(x) * x ** 2 + jnp.exp(0.5 * x)

    g = jax.grad(f)
    one = jnp.ones_like(xs)
    cases = {
        "grad(f)(0.3)": g(xs[0]),
        "jit(grad(f))(0.3)": jax.jit(g)(xs[0]),
        "grad(jit(f))(0.3)": jax.grad(jax.jit(f))(xs[0]),
        "vmap(grad(f))": jax.vmap(g)(xs),
        "grad(grad(f))(0.3)": jax.grad(g)(xs[0]),
        "vmap(grad(grad(f)))": jax.vmap(jax.grad(g))(xs),
        "jvp(f)": jax.jvp(f, (xs,), (one,))[1],
        "jvp(grad(f))": jax.jvp(jax.vmap(g), (xs,), (one,))[1],
        "vmap(jvp(f))": jax.vmap(lambda x: jax.jvp(f, (x,), (1.0,))[1])(xs),
        "grad(jvp)(0.3)": jax.grad(lambda x: jax.jvp(f, (x,), (1.0,))[1])(xs[0]),
        "jit(vmap(f))": jax.jit(jax.vmap(f))(xs),
        "vmap(jit(f))": jax.vmap(jax.jit(f))(xs),
        "jit(vmap(grad(f)))": jax.jit(jax.vmap(g))(xs),
        "vmap(jit(grad(f)))": jax.vmap(jax.jit(g))(xs),
        "grad(jit(vmap(f)) summed)(xs)": jax.grad(lambda v: jnp.sum(jax.jit(jax.vmap(f))(v)))(xs),
        "jit(jvp(vmap(f)))": jax.jit(lambda v: jax.jvp(jax.vmap(f), (v,), (one,))[1])(xs),
        # the remaining ordered pairs
        "grad(vmap(f) summed)(xs)": jax.grad(lambda v: jnp.sum(jax.vmap(f)(v)))(xs),
        "jvp(vmap(f))": jax.jvp(jax.vmap(f), (xs,), (one,))[1],
        "jit(jvp(f))": jax.jit(lambda v: jax.jvp(f, (v,), (one,))[1])(xs),
        "jvp(jit(f))": jax.jvp(jax.jit(f), (xs,), (one,))[1],
        "jvp(grad(f))(0.3)": jax.jvp(g, (xs[0],), (jnp.float32(1.0),))[1],
        # more triples
        "vmap(jvp(grad(f)))": jax.vmap(lambda x: jax.jvp(g, (x,), (1.0,))[1])(xs),
        "grad(vmap(jvp(f)) summed)(xs)": jax.grad(lambda v: jnp.sum(jax.vmap(lambda x: jax.jvp(f, (x,), (1.0,))[1])(v)))(xs),
        "jit(grad(grad(f)))(0.3)": jax.jit(jax.grad(g))(xs[0]),
        "vmap(grad(jit(f)))": jax.vmap(jax.grad(jax.jit(f)))(xs),
    }

    # hessian of a function of a vector
    def h(v):
        return jnp.sum(jnp.tanh(v) * v[::-1]) + jnp.prod(v[:2]) ** 2
    cases["hessian(h)"] = jax.jacfwd(jax.jacrev(h))(xs)

    # the Hessian of a function of a pytree is a pytree of pytrees: H[a][b] = d²f / da db
    params = {"b": jnp.array([0.2, -0.1], jnp.float32), "w": jnp.array([[0.5, -0.3, 0.8], [0.1, 0.4, -0.6]], jnp.float32)}
    x = jnp.array([0.7, -0.2, 0.4], jnp.float32)

    def tree_fn(p):
        return jnp.sum(jnp.tanh(p["w"] @ x + p["b"])) + jnp.sum(p["b"] ** 3)

    write("composition", {
        "xs": enc(xs), "cases": {k: enc(v) for k, v in cases.items()},
        "tree_hessian": {"params": enc_tree(params), "x": enc(x), "hessian": enc_tree(jax.hessian(tree_fn)(params))},
    })


if __name__ == "__main__":
    chebyshev()
    kinked_regression()
    three_body()
    fixed_point()
    composition()
