"""Golden derivative values of the primitives whose JVP/transpose rules live in shape_ops,
reductions, dot_general, gather_scatter and sort (and of jit under differentiation): for each
program, JAX's vjp (with a fixed cotangent) and jvp (with fixed tangents), plus jacfwd / jacrev /
hessian of a few. Run from the repo root:

    .venv/bin/python test/golden/autodiff/jaxprs_rule_values.py

writes test/golden/autodiff/jaxprs_rule_values.json; the TypeScript programs are in
test/autodiff/rule_programs.ts (same names)."""
import json
import os

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax


def vals(shape, phase):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * 1.37 + phase) * 2.0).astype(np.float32).reshape(shape)


def bdot(a, b):
    return lax.dot_general(a, b, (((2,), (1,)), ((0,), (0,))))


@jax.jit
def jitted_chain(a, b):
    return jnp.sin(a @ b) * 2.0


CASES = [
    ("gather_1d", lambda x: x[jnp.array([2, 0, 2])], [(4,)]),
    ("gather_columns", lambda x: x[:, jnp.array([1, 0])], [(2, 3)]),
    ("scatter_add", lambda x, u: x.at[jnp.array([0, 2, 0])].add(u), [(4,), (3,)]),
    ("scatter_set", lambda x, u: x.at[jnp.array([1, 3])].set(u), [(4,), (2,)]),
    ("scatter_mul_unique", lambda x, u: x.at[jnp.array([1, 3])].multiply(u, unique_indices=True) * x, [(4,), (2,)]),
    ("scatter_max_ties", lambda x, u: x.at[jnp.array([1, 3, 1])].max(u), [(4,), (3,)]),
    ("scatter_min", lambda x, u: x.at[jnp.array([0, 2])].min(u), [(4,), (2,)]),
    ("sort_1d", lambda x: jnp.sort(x), [(5,)]),
    ("sort_axis0", lambda x: jnp.sort(x, axis=0), [(3, 2)]),
    ("cumprod", lambda x: jnp.cumprod(x), [(5,)]),
    ("cummax", lambda x: lax.cummax(x, axis=0), [(6,)]),
    ("cummin_reverse", lambda x: lax.cummin(x, axis=0, reverse=True), [(5,)]),
    ("cumsum_reverse_2d", lambda x: lax.cumsum(x, axis=1, reverse=True), [(2, 3)]),
    ("prod_axis1", lambda x: jnp.prod(x, axis=1), [(2, 3)]),
    ("prod_all_odd", lambda x: jnp.prod(x), [(5,)]),
    ("max_axis0", lambda x: jnp.max(x, axis=0), [(3, 2)]),
    ("min_all", lambda x: jnp.min(x), [(4,)]),
    ("dynamic_slice", lambda x: lax.dynamic_slice(x, (1, 0), (2, 2)), [(3, 3)]),
    ("dynamic_update_slice", lambda x, u: lax.dynamic_update_slice(x, u, (1,)), [(5,), (2,)]),
    ("pad_interior_negative", lambda x, v: lax.pad(x, v, [(1, -1, 1)]), [(4,), ()]),
    ("concatenate", lambda x, y: jnp.concatenate([x, y]), [(2,), (3,)]),
    ("slice_strided", lambda x: x[1::2], [(6,)]),
    ("transpose_reshape_broadcast", lambda x: jnp.reshape(lax.broadcast_in_dim(x.T, (2, 3, 2), (1, 2)), (3, 4)), [(2, 3)]),
    ("batched_dot", lambda a, b: bdot(a, b), [(2, 3, 4), (2, 4, 2)]),
    ("expand_squeeze_rev", lambda x: lax.rev(jnp.squeeze(jnp.expand_dims(x, 0), 0), (1,)), [(2, 3)]),
    ("argmax_pick", lambda x: x[jnp.argmax(x)] * x, [(4,)]),
    ("jit_chain", lambda a, b: jitted_chain(a, b), [(2, 3), (3, 2)]),
]

JACOBIANS = [
    ("jac_cumprod", lambda x: jnp.cumprod(x), (4,)),
    ("jac_sort_matmul", lambda x: jnp.sort(x) @ jnp.reshape(x, (3, 1)), (3,)),
]
HESSIANS = [
    ("hess_prod", lambda x: jnp.prod(x), (4,)),
    ("hess_quadratic_form", lambda x: x @ (jnp.reshape(jnp.arange(9.0, dtype=jnp.float32), (3, 3)) @ x), (3,)),
]


def tolist(x):
    return np.asarray(x, dtype=np.float64).tolist()


def main():
    cases = []
    for name, fn, shapes in CASES:
        args = [jnp.asarray(vals(s, 0.3 + i)) for i, s in enumerate(shapes)]
        out, vjp_fn = jax.vjp(fn, *args)
        w = jnp.asarray(vals(out.shape, 2.1))
        cts = vjp_fn(w)
        tangents = [jnp.asarray(vals(s, 1.1 + 0.5 * i)) for i, s in enumerate(shapes)]
        _, t_out = jax.jvp(fn, tuple(args), tuple(tangents))
        cases.append({
            "name": name, "shapes": [list(s) for s in shapes],
            "args": [tolist(a) for a in args], "out": tolist(out), "out_shape": list(out.shape),
            "cotangent": tolist(w), "cts": [tolist(c) for c in cts],
            "tangents": [tolist(t) for t in tangents], "jvp": tolist(t_out),
        })
    jacs = []
    for name, fn, shape in JACOBIANS:
        x = jnp.asarray(vals(shape, 0.7))
        jacs.append({"name": name, "arg": tolist(x), "shape": list(shape),
                     "jacfwd": tolist(jax.jacfwd(fn)(x)), "jacrev": tolist(jax.jacrev(fn)(x))})
    for name, fn, shape in HESSIANS:
        x = jnp.asarray(vals(shape, 0.7))
        jacs.append({"name": name, "arg": tolist(x), "shape": list(shape), "hessian": tolist(jax.hessian(fn)(x))})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jaxprs_rule_values.json")
    with open(path, "w") as f:
        json.dump({"jax_version": jax.__version__, "cases": cases, "jacobians": jacs}, f)
        f.write("\n")
    print(f"wrote {len(cases)} cases and {len(jacs)} jacobians to {path}")


if __name__ == "__main__":
    main()
