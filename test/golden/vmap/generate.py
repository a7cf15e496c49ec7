"""Golden vmap data: JAX 0.10's jaxpr text of `jax.make_jaxpr(jax.vmap(f, ...))` for each program
below, and JAX's messages for vmap's errors.

Regenerate (from the repository root):

    .venv/bin/python test/golden/vmap/generate.py

It writes test/golden/vmap/vmap.json:

  {"jax_version", "numpy_version",
   "programs": [{"name", "args", "jaxpr"}],
   "errors": [{"name", "args", "type", "message"}]}

Arguments use the encoding of test/golden/jaxprs/generate.py (same `fill` values).
test/vmap/golden.test.ts has the same programs and error cases written with Tracelens' API (same
names, same order). In error messages, Python's `<class 'dict'>` is written as the class name
(`dict`), as Tracelens' pytree errors name classes, and JAX's internal `PytreeLeaf` class is named
without its module.

The output is deterministic, so regenerating with the same JAX version gives a byte-identical file.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "jaxprs"))

from generate import A, decode  # noqa: E402  (also sets JAX_PLATFORMS=cpu)

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

OUT = Path(__file__).resolve().parent / "vmap.json"

PROGRAMS: list[dict] = []
ERRORS: list[dict] = []


def program(name: str, *args):
    def register(f):
        PROGRAMS.append({"name": name, "f": f, "args": list(args)})
        return f
    return register


def error(name: str, *args):
    def register(f):
        ERRORS.append({"name": name, "f": f, "args": list(args)})
        return f
    return register


# ---- programs: the function given to make_jaxpr is the vmapped one --------------------------------

@program("elementwise_same_axes", A(3, 4), A(3, 4))
def _(x, y):
    return jax.vmap(lambda a, b: jnp.sin(a) * b + 2.0)(x, y)


@program("sum_over_rows", A(3, 4))
def _(x):
    return jax.vmap(lambda a: jnp.sum(a))(x)


@program("matvec_unmapped_matrix", A(2, 4), A(3, 4))
def _(m, v):
    return jax.vmap(lambda a, b: a @ b, in_axes=(None, 0))(m, v)


@program("batched_matmul", A(3, 2, 4), A(3, 4, 5))
def _(x, y):
    return jax.vmap(jnp.matmul)(x, y)


@program("cond_mapped_predicate", A(3), A(3, 4))
def _(p, x):
    return jax.vmap(lambda q, a: lax.cond(q > 0, lambda b: jnp.sin(b), lambda b: b * 2.0, a))(p, x)


@program("cond_unmapped_predicate", A(), A(3, 4))
def _(p, x):
    return jax.vmap(lambda q, a: lax.cond(q > 0, lambda b: jnp.sin(b), lambda b: b * 2.0, a), in_axes=(None, 0))(p, x)


@program("scan_mapped_xs", A(3, 4))
def _(x):
    return jax.vmap(lambda a: lax.scan(lambda c, v: (c + v, c * v), jnp.float32(0), a))(x)


@program("in_axes_1", A(4, 3))
def _(x):
    return jax.vmap(lambda a: jnp.exp(a) - 1.0, in_axes=1)(x)


@program("out_axes_1", A(3, 4))
def _(x):
    return jax.vmap(lambda a: jnp.cos(a), out_axes=1)(x)


@program("unmapped_output_broadcast", A(3, 4), A(4))
def _(x, y):
    return jax.vmap(lambda a, b: (a * 2.0, b + 1.0), in_axes=(0, None))(x, y)


@program("nested_vmap", A(2, 3, 4))
def _(x):
    return jax.vmap(jax.vmap(lambda a: jnp.sum(a * a)))(x)


@program("vmap_of_jit", A(3, 4))
def _(x):
    return jax.vmap(jax.jit(lambda a: jnp.tanh(a) * 2.0))(x)


@program("max_reduction_axis", A(3, 2, 4))
def _(x):
    return jax.vmap(lambda a: jnp.max(a, axis=1))(x)


@program("dynamic_slice_mapped_index", A(3, 5), A(3, dtype="int32"))
def _(x, i):
    return jax.vmap(lambda a, j: lax.dynamic_slice(a, (j,), (2,)))(x, i)


@program("index_with_mapped_integer", A(3, 5), A(3, dtype="int32"))
def _(x, i):
    return jax.vmap(lambda a, j: a[j])(x, i)


@program("at_add_mapped", A(3, 5), A(3, dtype="int32"))
def _(x, i):
    return jax.vmap(lambda a, j: a.at[j].add(1.0))(x, i)


@program("concatenate_unmapped_operand", A(3, 2), A(4))
def _(x, y):
    return jax.vmap(lambda a, b: jnp.concatenate([a, b]), in_axes=(0, None))(x, y)


@program("argmax_rows", A(3, 4))
def _(x):
    return jax.vmap(jnp.argmax)(x)


@program("reshape_and_transpose", A(3, 2, 4))
def _(x):
    return jax.vmap(lambda a: a.reshape(4, 2).T)(x)


@program("jit_of_vmap", A(3, 4), A(4))
def _(x, w):
    return jax.jit(jax.vmap(lambda a, b: jnp.dot(a, b), in_axes=(0, None)))(x, w)


@program("while_mapped_predicate", A(3, dtype="int32"))
def _(n):
    def count(m):
        return lax.while_loop(lambda c: c[0] < m, lambda c: (c[0] + 1, c[1] * 2.0), (jnp.int32(0), jnp.float32(1.0)))
    return jax.vmap(count)(n)


@program("while_unmapped_predicate", A(3, 2))
def _(x):
    return jax.vmap(lambda a: lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * 1.5), (jnp.int32(0), a)))(x)


# ---- errors -----------------------------------------------------------------------------------------

def add(x, y):
    return x + y


@error("inconsistent_sizes_two", A(3, 4), A(5, 4))
def _(x, y):
    return jax.vmap(add)(x, y)


@error("inconsistent_sizes_most", A(3, 4), A(5, 4), A(3))
def _(x, y, z):
    return jax.vmap(lambda x, y, z: x)(x, y, z)


@error("in_axes_out_of_range", A(3, 4), A(3, 4))
def _(x, y):
    return jax.vmap(add, in_axes=(0, 2))(x, y)


@error("in_axes_negative_out_of_range", A(3, 4), A(3, 4))
def _(x, y):
    return jax.vmap(add, in_axes=(0, -3))(x, y)


@error("in_axes_wrong_length", A(3, 4), A(3, 4))
def _(x, y):
    return jax.vmap(add, in_axes=(0, 0, 0))(x, y)


@error("in_axes_not_a_prefix", A(3, 4), A(3, 4))
def _(x, y):
    return jax.vmap(add, in_axes=(0, {"a": 0}))(x, y)


@error("in_axes_dict_keys", A(3, 4), {"dict": {"b": A(3, 4)}})
def _(x, y):
    return jax.vmap(add, in_axes=(0, {"a": 0}))(x, y)


@error("no_mapped_axis", A(3, 4))
def _(x):
    return jax.vmap(lambda x: x, in_axes=None)(x)


@error("axis_size_disagrees", A(3))
def _(x):
    return jax.vmap(lambda x, y: x, in_axes=(0, None), axis_size=4)(x, 2.0)


@error("scalar_mapped", A())
def _(x):
    return jax.vmap(lambda x: x + 1)(x)


@error("pytree_paths", {"dict": {"a": A(3, 4), "b": A(2)}}, [A(2)])
def _(x, y):
    return jax.vmap(add)(x, y)


@error("out_axes_none_for_mapped_output", A(3, 4))
def _(x):
    return jax.vmap(lambda x: (x, x * 2), out_axes=(0, None))(x)


@error("out_axes_none_in_dict", A(3, 4))
def _(x):
    return jax.vmap(lambda x: {"a": x, "b": x * 2}, out_axes={"a": 0, "b": None})(x)


@error("out_axes_out_of_range", A(3, 4))
def _(x):
    return jax.vmap(lambda x: x, out_axes=2)(x)


def normalize(msg: str) -> str:
    msg = re.sub(r"<class '(?:[\w.]+\.)?(\w+)'>", r"\1", msg)
    return msg


def main() -> None:
    programs = []
    for p in PROGRAMS:
        args = [decode(a) for a in p["args"]]
        programs.append({"name": p["name"], "args": p["args"], "jaxpr": str(jax.make_jaxpr(p["f"])(*args))})
    errors = []
    for e in ERRORS:
        args = [decode(a) for a in e["args"]]
        try:
            e["f"](*args)
        except Exception as ex:  # noqa: BLE001
            errors.append({"name": e["name"], "args": e["args"], "type": type(ex).__name__, "message": normalize(str(ex))})
        else:
            raise AssertionError(f"{e['name']} raised no error")
    for items in (programs, errors):
        names = [p["name"] for p in items]
        assert len(names) == len(set(names)), "duplicate names"
    doc = {"jax_version": jax.__version__, "numpy_version": np.__version__, "programs": programs, "errors": errors}
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT} ({len(programs)} programs, {len(errors)} errors)")


if __name__ == "__main__":
    main()
