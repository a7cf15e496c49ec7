"""Golden jaxprs of differentiated programs: JAX 0.10's text for make_jaxpr(grad(f)), of jvp, vjp,
value_and_grad and linearize, over the primitives whose JVP/transpose rules live in shape_ops,
reductions and dot_general. Run from the repo root:

    .venv/bin/python test/golden/autodiff/jaxprs.py

writes test/golden/autodiff/jaxprs.json. The TypeScript side is test/autodiff/jaxpr_programs.ts
(same names, same order).

Left out on purpose: programs whose JAX text shows NumPy scalar types in params (the transposes of
slice and pad, and of reduce_sum over some axes, print `np.int64(1)`: JAX computes those params with
NumPy), and concatenate's transpose (JAX's `split` primitive; Tracelens slices)."""
import json
import os

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

f32 = jnp.float32


def arg(*shape):
    return {"shape": list(shape), "dtype": "float32"}


def ones(spec):
    return jnp.ones(spec["shape"], spec["dtype"])


def bdot(a, b):
    return lax.dot_general(a, b, (((2,), (1,)), ((0,), (0,))))


@jax.custom_jvp
def f(x):
    return jnp.sin(x)


@f.defjvp
def f_jvp(primals, tangents):
    (x,), (tx,) = primals, tangents
    return f(x), 2.0 * tx


@jax.custom_vjp
def g(x, y):
    return x * y


def g_fwd(x, y):
    return g(x, y), (x, y)


def g_bwd(res, ct):
    x, y = res
    return (ct * y * 3.0, ct * x)


g.defvjp(g_fwd, g_bwd)


def mm(a, b):
    return a @ b


def cs(x):
    return jnp.cumsum(x)


jit_mm = jax.jit(mm)
jit_cs = jax.jit(cs)

PROGRAMS = [
    ("grad_sum", lambda x: jnp.sum(x), [arg(3)], {}),
    ("grad_sum_matrix", lambda x: jnp.sum(x), [arg(2, 3)], {}),
    ("grad_matmul_lhs", lambda a, b: jnp.sum(a @ b), [arg(2, 3), arg(3, 4)], {}),
    ("grad_matmul_rhs", lambda a, b: jnp.sum(a @ b), [arg(2, 3), arg(3, 4)], {"argnums": 1}),
    ("grad_matmul_both", lambda a, b: jnp.sum(a @ b), [arg(2, 3), arg(3, 4)], {"argnums": (0, 1)}),
    ("grad_unused_input", lambda x, y: jnp.sum(x), [arg(3), arg(3)], {}),
    ("grad_unused_input_argnums", lambda x, y: jnp.sum(x), [arg(3), arg(3)], {"argnums": 1}),
    ("grad_transpose", lambda x: jnp.sum(x.T), [arg(2, 3)], {}),
    ("grad_reshape", lambda x: jnp.sum(jnp.reshape(x, (6,))), [arg(2, 3)], {}),
    ("grad_broadcast_in_dim", lambda x: jnp.sum(lax.broadcast_in_dim(x, (2, 3), (1,))), [arg(3)], {}),
    ("grad_broadcast_unit_dim", lambda x: jnp.sum(lax.broadcast_in_dim(x, (2, 3), (0, 1))), [arg(1, 3)], {}),
    ("grad_rev", lambda x: jnp.sum(lax.rev(x, (0,))), [arg(3)], {}),
    ("grad_squeeze", lambda x: jnp.sum(lax.squeeze(x, (0,))), [arg(1, 3)], {}),
    ("grad_cumsum", lambda x: jnp.sum(jnp.cumsum(x)), [arg(4)], {}),
    ("grad_dot_vector", lambda x, y: jnp.dot(x, y), [arg(3), arg(3)], {}),
    ("grad_matvec", lambda a, v: jnp.sum(a @ v), [arg(2, 3), arg(3)], {"argnums": 1}),
    ("grad_batched_dot_lhs", lambda a, b: jnp.sum(bdot(a, b)), [arg(2, 3, 4), arg(2, 4, 5)], {}),
    ("grad_batched_dot_rhs", lambda a, b: jnp.sum(bdot(a, b)), [arg(2, 3, 4), arg(2, 4, 5)], {"argnums": 1}),
    ("grad_contract_first_dims", lambda a, b: jnp.sum(lax.dot_general(a, b, (((0,), (0,)), ((), ())))), [arg(3, 2), arg(3, 4)], {"argnums": (0, 1)}),
    ("grad_stop_gradient", lambda x: jnp.sum(lax.stop_gradient(x) @ x), [arg(3)], {}),
    ("grad_custom_jvp", lambda x: f(x), [arg()], {}),
    ("grad_custom_vjp", lambda x, y: g(x, y), [arg(), arg()], {}),
    ("grad_custom_vjp_both", lambda x, y: g(x, y), [arg(), arg()], {"argnums": (0, 1)}),
    ("grad_jit_matmul", lambda a, b: jnp.sum(jit_mm(a, b)), [arg(2, 3), arg(3, 4)], {"argnums": (0, 1)}),
    ("grad_jit_cumsum", lambda x: jnp.sum(jit_cs(x)), [arg(4)], {}),
    ("grad_max", lambda x: jnp.max(x), [arg(3)], {}),
    ("grad_dynamic_slice", lambda x: jnp.sum(lax.dynamic_slice(x, (1,), (2,))), [arg(4)], {}),
    ("grad_chain_matmuls", lambda w1, w2, x: jnp.sum((x @ w1) @ w2), [arg(3, 4), arg(4, 2), arg(5, 3)], {"argnums": (0, 1)}),
]

JVP_PROGRAMS = [
    ("custom_jvp_call", lambda x: f(x), [arg()]),
    ("custom_vjp_call", lambda x, y: g(x, y), [arg(), arg()]),
    ("jvp_custom_jvp", lambda x, t: jax.jvp(f, (x,), (t,)), [arg(), arg()]),
    ("jvp_transpose_sum", lambda x, t: jax.jvp(lambda x: jnp.sum(x.T), (x,), (t,)), [arg(2, 3), arg(2, 3)]),
    ("jvp_matmul", lambda a, b, ta, tb: jax.jvp(lambda a, b: a @ b, (a, b), (ta, tb)), [arg(2, 3), arg(3, 4), arg(2, 3), arg(3, 4)]),
    ("jvp_broadcast_reshape", lambda x, t: jax.jvp(lambda x: jnp.reshape(lax.broadcast_in_dim(x, (2, 3), (1,)), (6,)), (x,), (t,)), [arg(3), arg(3)]),
    ("vjp_matmul", lambda a, b, ct: jax.vjp(lambda a, b: a @ b, a, b)[1](ct), [arg(2, 3), arg(3, 4), arg(2, 4)]),
    ("value_and_grad_matmul", lambda a, b: jax.value_and_grad(lambda a, b: jnp.sum(a @ b))(a, b), [arg(2, 3), arg(3, 4)]),
    ("linearize_matmul", lambda a, b, t: jax.linearize(lambda a: a @ b, a)[1](t), [arg(2, 3), arg(3, 4), arg(2, 3)]),
]


def main():
    out = []
    for name, fn, args, opts in PROGRAMS:
        vals = [ones(a) for a in args]
        text = str(jax.make_jaxpr(jax.grad(fn, **opts))(*vals))
        out.append({"name": name, "args": args, "jaxpr": text})
    for name, fn, args in JVP_PROGRAMS:
        vals = [ones(a) for a in args]
        out.append({"name": name, "args": args, "jaxpr": str(jax.make_jaxpr(fn)(*vals))})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jaxprs.json")
    with open(path, "w") as f:
        json.dump({"jax_version": jax.__version__, "numpy_version": np.__version__, "programs": out}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(out)} programs to {path}")


if __name__ == "__main__":
    main()
