"""Golden values for Tracelens' pytree tests (test/tree/), computed with real JAX (jax.tree_util).

Regenerate (from the repository root, with the project's virtual environment that holds JAX 0.10.x):

    .venv/bin/python test/golden/tree/generate.py

It writes test/golden/tree/tree.json (deterministic: regenerating with the same JAX gives the same file).

Trees are JSON, read the same way here and in test/tree/golden.ts:
  * null is None (JS null), a list is a list (JS array), an object is a dict (plain object);
    numbers and strings are leaves;
  * {"$node": "V", "children": [...], "aux": <json>} is a V, a class registered with
    register_pytree_node (flatten: (children, aux)); its repr is `V([children], aux)`;
  * {"$node": "Point", "x": ..., "y": ...} is a Point, registered with register_pytree_with_keys
    (children keyed GetAttrKey('x'), GetAttrKey('y'); aux None);
  * {"$array": [floats]} is a float32 jnp.array.

Each message is stored twice: "jax", exactly as JAX raised it, and "js", what Tracelens must say,
made from it by `jsify` below. The translation only renames Python things a JS user does not have:
  * types `<class 'list'>`, `<class 'dict'>`, `<class 'NoneType'>`, `<class 'int'>`, `<class 'str'>`,
    `<class '__main__.V'>`, `<class 'jaxlib._jax.ArrayImpl'>` print as list, dict, None, number,
    string, V, Array;
  * the names JAX gives the prefix tree (`tree_map tree`, `tree_map_with_path tree`,
    `broadcast_prefix prefix_tree`) become `tree.map tree`, `tree.mapWithPath tree`,
    `tree.broadcast prefixTree`;
  * the None-prefix hint's Python snippet becomes the same snippet in TypeScript.
Everything else (wording, key paths, dict metadata as a Python tuple of keys, the difflib diff) is
JAX's text unchanged.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from jax import tree_util as tu  # noqa: E402

OUT = Path(__file__).resolve().parent / "tree.json"


# --------------------------------------------------------------------------------------------------
# The custom nodes (mirrored in test/tree/golden.ts)


class V:
    def __init__(self, ch, aux):
        self.ch = list(ch)
        self.aux = aux

    def __repr__(self):
        return f"V({self.ch!r}, {self.aux!r})"


tu.register_pytree_node(V, lambda v: (v.ch, v.aux), lambda aux, ch: V(list(ch), aux))


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"


tu.register_pytree_with_keys(
    Point,
    lambda p: (((tu.GetAttrKey("x"), p.x), (tu.GetAttrKey("y"), p.y)), None),
    lambda aux, ch: Point(*ch),
)


def decode(j):
    if isinstance(j, list):
        return [decode(x) for x in j]
    if isinstance(j, dict):
        if "$node" in j:
            if j["$node"] == "V":
                return V([decode(c) for c in j["children"]], j["aux"])
            if j["$node"] == "Point":
                return Point(decode(j["x"]), decode(j["y"]))
            raise ValueError(j)
        if "$array" in j:
            return jnp.array(j["$array"], dtype=jnp.float32)
        return {k: decode(v) for k, v in j.items()}
    return j


def encode(x):
    """A JAX-side value back to the JSON tree encoding."""
    if isinstance(x, V):
        return {"$node": "V", "children": [encode(c) for c in x.ch], "aux": x.aux}
    if isinstance(x, Point):
        return {"$node": "Point", "x": encode(x.x), "y": encode(x.y)}
    if isinstance(x, (list, tuple)):
        return [encode(e) for e in x]
    if isinstance(x, dict):
        return {k: encode(v) for k, v in x.items()}
    if isinstance(x, jax.Array):
        return {"$array": [float(v) for v in x.ravel()]}
    return x


def entry(k):
    if isinstance(k, tu.DictKey):
        return ["DictKey", k.key]
    if isinstance(k, tu.SequenceKey):
        return ["SequenceKey", k.idx]
    if isinstance(k, tu.GetAttrKey):
        return ["GetAttrKey", k.name]
    if isinstance(k, tu.FlattenedIndexKey):
        return ["FlattenedIndexKey", k.key]
    raise TypeError(k)


IS_LEAF = {
    None: None,
    "none": lambda x: x is None,
    "short_list": lambda x: isinstance(x, list) and len(x) <= 1,
}

NONE_HINT_PY = "jax.tree.map(lambda x, y: None if x is None else f(x, y), a, b, is_leaf=lambda x: x is None)"
NONE_HINT_TS = "tree.map((x, y) => (x === null ? null : f(x, y)), a, b, {isLeaf: (x) => x === null})"


def jsify(msg: str) -> str:
    for py, js in [
        ("<class 'list'>", "list"), ("<class 'dict'>", "dict"), ("<class 'NoneType'>", "None"),
        ("<class 'int'>", "number"), ("<class 'str'>", "string"), ("<class '__main__.V'>", "V"),
        ("<class '__main__.Point'>", "Point"), ("<class 'jaxlib._jax.ArrayImpl'>", "Array"),
        ("tree_map_with_path tree", "tree.mapWithPath tree"), ("tree_map tree", "tree.map tree"),
        ("broadcast_prefix prefix_tree", "tree.broadcast prefixTree"), (NONE_HINT_PY, NONE_HINT_TS),
    ]:
        msg = msg.replace(py, js)
    assert "<class" not in msg and "tree_map" not in msg, msg
    return msg


def message(fn):
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001
        return {"error": type(e).__name__, "jax": str(e), "js": jsify(str(e))}
    return {"value": encode(out)}


# --------------------------------------------------------------------------------------------------
# Cases

STRUCTURES = [
    ("leaf", 1, None),
    ("string leaf", "text", None),
    ("none", None, None),
    ("empty list", [], None),
    ("empty dict", {}, None),
    ("flat list", [1, 2, 3], None),
    ("nested", {"b": [1, 2], "a": 3, "c": None, "d": [4, [5, None, {}]]}, None),
    ("readme branches", {"branch1": [1, {"w": 2, "b": 3}], "branch2": 4}, None),
    ("dict key order", {"b": 1, "B": 2, "a": 3, "10": 4, "2": 5, "1e3": 6, "-1": 7, "": 8, "_": 9,
                        "é": 10, "\uff01": 11, "\U0001F600": 12}, None),
    ("keys needing quotes", {"it's": 1, 'say "hi"': 2, "both ' and \"": 3, "new\nline": 4, "tab\t": 5,
                             "back\\slash": 6, "\x07bell": 7}, None),
    ("custom node", {"p": {"$node": "V", "children": [1, [2, 3]], "aux": "meta"}}, None),
    ("custom node dict aux", {"$node": "V", "children": [1, None], "aux": {"lr": 0.5, "name": "adam"}}, None),
    ("custom node no children", [{"$node": "V", "children": [], "aux": 7}], None),
    ("keyed custom node", {"pt": {"$node": "Point", "x": 1, "y": [2, {"z": 3}]}}, None),
    ("custom in custom", {"$node": "V", "children": [{"$node": "Point", "x": 1, "y": 2}, 3], "aux": "outer"}, None),
    ("is_leaf none", [None, 1, [None, {"a": None}]], "none"),
    ("is_leaf short lists", [[1], [2, 3], [], {"a": [4]}], "short_list"),
    ("arrays", {"w": {"$array": [1.5, 2.5]}, "b": {"$array": [0.5]}}, None),
]


def structure_case(name, j, is_leaf):
    t = decode(j)
    pred = IS_LEAF[is_leaf]
    leaves, td = tu.tree_flatten(t, is_leaf=pred)
    with_path, td2 = tu.tree_flatten_with_path(t, is_leaf=pred)
    assert td == td2
    return {
        "name": name, "tree": j, "is_leaf": is_leaf,
        "treedef": str(td), "leaves": [encode(x) for x in leaves],
        "num_leaves": td.num_leaves, "num_nodes": td.num_nodes,
        "children": [str(c) for c in td.children()],
        "paths": [[entry(k) for k in p] for p, _ in with_path],
        "keystr": [tu.keystr(p) for p, _ in with_path],
        "keystr_simple": [tu.keystr(p, simple=True, separator="/") for p, _ in with_path],
    }


PREFIXES = [
    ("list shorter", [1, 2, 3, 4, 5], [1, 2, 3, 4]),
    ("list longer", [1, 2], [1, 2, 3]),
    ("dict other key", {"a": 1, "b": 2}, {"a": 1, "c": 2}),
    ("dict extra key", {"a": 1, "b": 2}, {"a": 1, "b": 2, "c": 3}),
    ("dict missing key", {"a": 1, "b": 2, "c": 3}, {"a": 1, "c": 3}),
    ("list vs leaf", [1, 2], 3),
    ("dict vs list", {"a": 1}, [1]),
    ("list vs dict", [1], {"a": 1}),
    ("none vs leaf", None, 1),
    ("none vs list", None, [1]),
    ("nested list length", {"x": [1, 2]}, {"x": [1]}),
    ("nested dict keys", {"x": [{"a": 1}, 2]}, {"x": [{"b": 1}, 2]}),
    ("nested dict vs list", {"x": [{"a": 1}, 2]}, {"x": [[1], 2]}),
    ("nested dict vs array", {"x": [{"a": 1}, 2]}, {"x": [{"$array": [1, 1, 1]}, 2]}),
    ("deep key path", {"params": [{"w": 1, "b": 2}, {"w": 3, "b": [4, 5]}]},
                      {"params": [{"w": 1, "b": 2}, {"w": 3, "b": [4]}]}),
    ("long keys diff", {"learning_rate": 1, "momentum": 2}, {"learning_rate": 1, "momentun": 2}),
    ("custom vs other custom", {"$node": "V", "children": [1, 2], "aux": "a"}, {"$node": "Point", "x": 1, "y": 2}),
    ("custom vs leaf", {"$node": "V", "children": [1, 2], "aux": "a"}, 3),
    ("custom arity", {"$node": "V", "children": [1, 2], "aux": "a"}, {"$node": "V", "children": [1, 2, 3], "aux": "a"}),
    ("custom aux", {"$node": "V", "children": [1, 2], "aux": "a"}, {"$node": "V", "children": [1, 2], "aux": "b"}),
    ("custom aux similar", {"$node": "V", "children": [1], "aux": "aaaa bbbb"}, {"$node": "V", "children": [1], "aux": "aaaa bbxb"}),
    ("custom aux dict", {"$node": "V", "children": [1], "aux": {"lr": 0.1}}, {"$node": "V", "children": [1], "aux": {"lr": 0.2}}),
    ("custom aux very different", {"$node": "V", "children": [1], "aux": "x"}, {"$node": "V", "children": [1], "aux": "completely different"}),
    ("custom aux multiline", {"$node": "V", "children": [1], "aux": "line1\nline2"}, {"$node": "V", "children": [1], "aux": "line1\nline3"}),
    ("custom aux with junk spaces", {"$node": "V", "children": [1], "aux": "private Thread currentThread;"},
                                    {"$node": "V", "children": [1], "aux": "private volatile Thread currentThread;"}),
    ("custom aux many lines", {"$node": "V", "children": [1], "aux": "alpha\nbeta\ngamma\ndelta"},
                              {"$node": "V", "children": [1], "aux": "alpha\nbeta!\ngamma\ndelta\nepsilon"}),
    ("custom aux lines replaced", {"$node": "V", "children": [1], "aux": "one\ntwo\nthree"},
                                  {"$node": "V", "children": [1], "aux": "uno\ndos\nthree"}),
    ("custom aux long", {"$node": "V", "children": [1], "aux": "lr=0.001 " * 30 + "end"},
                        {"$node": "V", "children": [1], "aux": "lr=0.001 " * 14 + "lr=0.002 " + "lr=0.001 " * 15 + "end"}),
    ("custom aux and arity", {"$node": "V", "children": [1, 2], "aux": "a"}, {"$node": "V", "children": [1, 2, 3], "aux": "b"}),
    ("inside keyed custom", {"$node": "Point", "x": [1, 2], "y": 3}, {"$node": "Point", "x": [1], "y": 3}),
    ("inside unkeyed custom", {"$node": "V", "children": [[1, 2]], "aux": 0}, {"$node": "V", "children": [[1]], "aux": 0}),
    ("ok: leaf prefix of subtree", [1, {"a": 2}], [[5, 6], {"a": [7, {"q": 8}]}]),
    ("ok: same", {"a": [1, None], "b": {"$node": "V", "children": [1], "aux": "m"}},
                 {"a": [3, None], "b": {"$node": "V", "children": [[9]], "aux": "m"}}),
]


def prefix_case(name, jp, jf):
    p, f = decode(jp), decode(jf)
    return {
        "name": name, "prefix": jp, "full": jf,
        "flatten_up_to": message(lambda: tu.tree_structure(p).flatten_up_to(f)),
        "map": message(lambda: jax.tree.map(lambda *xs: list(xs), p, f)),
        "map_with_path": message(lambda: jax.tree.map_with_path(lambda path, *xs: [tu.keystr(path), *xs], p, f)),
        "broadcast": message(lambda: jax.tree.broadcast(p, f)),
    }


MAPS = [
    ("two trees", [[1, {"a": 2}], [[5, 6], {"a": [7]}]], None),
    ("three trees", [{"w": 1, "b": [2, 3]}, {"w": 10, "b": [20, 30]}, {"w": 100, "b": [200, 300]}], None),
    ("third tree mismatched", [[1, [2]], [1, [2]], [1, [2, 3]]], None),
    ("second tree mismatched of three", [[1, {"a": 2}], [1, {"b": 2}], [1, {"a": 2}]], None),
    ("none as leaf", [[None, 1], [None, 2]], "none"),
    ("none prefix without is_leaf", [[None, 1], [2, 3]], None),
    ("custom nodes", [{"$node": "Point", "x": 1, "y": 2}, {"$node": "Point", "x": [3, 4], "y": 5}], None),
]


def map_case(name, trees, is_leaf):
    ts = [decode(t) for t in trees]
    return {
        "name": name, "trees": trees, "is_leaf": is_leaf,
        "map": message(lambda: jax.tree.map(lambda *xs: list(xs), *ts, is_leaf=IS_LEAF[is_leaf])),
        "map_with_path": message(lambda: jax.tree.map_with_path(
            lambda path, *xs: [tu.keystr(path), *xs], *ts, is_leaf=IS_LEAF[is_leaf])),
    }


UNFLATTENS = [
    ("too few", {"a": 1, "b": [2, 3], "c": None}, 2),
    ("too many", {"a": 1, "b": [2, 3], "c": None}, 4),
    ("none", None, 1),
    ("leaf zero", 1, 0),
    ("exact", [1, [2, {"a": 3}]], 3),
]


def unflatten_case(name, j, n):
    td = tu.tree_structure(decode(j))
    return {"name": name, "tree": j, "n": n,
            "result": message(lambda: tu.tree_unflatten(td, list(range(100, 100 + n))))}


TRANSPOSES = [
    ("list of dicts", [0, 0], {"a": 0, "b": 0}, [{"a": 1, "b": 2}, {"a": 3, "b": 4}]),
    ("inferred inner", [0, 0], None, [{"a": 1, "b": 2}, {"a": 3, "b": 4}]),
    ("dict of lists", {"x": 0, "y": 0}, [0, 0, 0], {"x": [1, 2, 3], "y": [4, 5, 6]}),
    ("mismatch", [0, 0], {"a": 0, "b": 0}, [{"a": 1, "b": 2}, {"a": 3}]),
]


def transpose_case(name, outer, inner, j):
    o = tu.tree_structure(decode(outer))
    i = None if inner is None else tu.tree_structure(decode(inner))
    return {"name": name, "outer": outer, "inner": inner, "tree": j,
            "result": message(lambda: jax.tree.transpose(o, i, decode(j)))}


KEYSTRS = [
    ("every entry kind", [["DictKey", "a"], ["SequenceKey", 1], ["GetAttrKey", "w"], ["FlattenedIndexKey", 3]]),
    ("empty", []),
    ("quoted keys", [["DictKey", "it's"], ["DictKey", "10"], ["DictKey", "a\nb"]]),
    ("design example", [["DictKey", "branch1"], ["DictKey", "1"]]),
]


def keystr_case(name, entries):
    mk = {"DictKey": tu.DictKey, "SequenceKey": tu.SequenceKey, "GetAttrKey": tu.GetAttrKey,
          "FlattenedIndexKey": tu.FlattenedIndexKey}
    path = tuple(mk[k](v) for k, v in entries)
    return {"name": name, "path": entries, "keystr": tu.keystr(path),
            "simple": tu.keystr(path, simple=True, separator="/"),
            "entries_str": [str(k) for k in path], "entries_repr": [repr(k) for k in path]}


def main():
    payload = {
        "jax_version": jax.__version__,
        "structures": [structure_case(*c) for c in STRUCTURES],
        "prefixes": [prefix_case(*c) for c in PREFIXES],
        "maps": [map_case(*c) for c in MAPS],
        "unflattens": [unflatten_case(*c) for c in UNFLATTENS],
        "transposes": [transpose_case(*c) for c in TRANSPOSES],
        "keystrs": [keystr_case(*c) for c in KEYSTRS],
        "sorted_keys": sorted(STRUCTURES[8][1].keys()),
    }
    OUT.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
