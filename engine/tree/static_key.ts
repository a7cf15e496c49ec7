// A string that stands for a static value (a custom node's auxData, a jit static argument), so
// structures compare and hash as strings. Plain data compares by value: numbers, strings,
// booleans, bigints, null, undefined, and JS arrays and plain objects of them. Any other object,
// function or symbol compares by identity (JAX compares such values with `==`, which for most
// Python objects is identity too).

const objectIds = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let nextId = 0;

function identity(x: object | symbol): string {
  if (typeof x === 'symbol') {
    let id = symbolIds.get(x);
    if (id === undefined) symbolIds.set(x, id = nextId++);
    return `#${id}`;
  }
  let id = objectIds.get(x);
  if (id === undefined) objectIds.set(x, id = nextId++);
  return `#${id}`;
}

export function staticKey(x: unknown): string {
  return keyOf(x, new Set());
}

function keyOf(x: unknown, path: Set<object>): string {
  switch (typeof x) {
    case 'number': return String(x); // 0 and -0 are one key, as 0.0 == -0.0 in Python
    case 'string': return JSON.stringify(x);
    case 'boolean': return x ? 'T' : 'F';
    case 'bigint': return `${x}n`;
    case 'undefined': return 'U';
    case 'symbol': case 'function': return identity(x);
  }
  if (x === null) return 'N';
  const obj = x as object;
  const proto = Object.getPrototypeOf(obj) as object | null;
  const isList = proto === globalThis.Array.prototype;
  const isDict = proto === Object.prototype || proto === null;
  if ((!isList && !isDict) || path.has(obj)) return identity(obj);
  path.add(obj);
  try {
    if (isList) {
      const xs = obj as unknown[];
      const parts: string[] = [];
      for (let i = 0; i < xs.length; i++) parts.push(keyOf(xs[i], path));
      return `[${parts.join(',')}]`;
    }
    const keys = Object.keys(obj).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${keyOf((obj as Record<string, unknown>)[k], path)}`).join(',')}}`;
  } finally {
    path.delete(obj);
  }
}
