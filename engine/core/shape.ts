// Shape arithmetic shared by abstract-evaluation rules and kernels.

export type Shape = readonly number[];

export const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/** Row-major (C order) strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

export const shapeEq = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

export const shapeStr = (s: Shape): string => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

/** An error raised by a shape rule, naming the primitive, the shapes and what to do. */
export class ShapeError extends TypeError {
  constructor(message: string) { super(message); this.name = 'TypeError'; }
}

/** NumPy broadcasting of several shapes; `what` names the operation for the error message. */
export function broadcastShapes(what: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i];
      if (out[j] === 1) out[j] = d;
      else if (d !== 1 && d !== out[j]) {
        throw new ShapeError(`${what}: shapes ${shapes.map(shapeStr).join(' and ')} cannot be broadcast together ` +
          `(incompatible sizes ${out[j]} and ${d} in dimension ${j}); reshape or expand one operand so the trailing dimensions match.`);
      }
    }
  }
  return out;
}

/** Normalizes a possibly negative axis, with NumPy's AxisError wording. */
export function normalizeAxis(axis: number, ndim: number, what: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new AxisError(`${what}: axis ${axis} is out of bounds for array of dimension ${ndim}; use an axis in [${-ndim}, ${ndim}).`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalizes an `axis` option (undefined/null = all axes), rejecting repeats. */
export function normalizeAxes(axis: number | readonly number[] | null | undefined, ndim: number, what: string): number[] {
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(a, ndim, what));
  if (new Set(out).size !== out.length) throw new AxisError(`${what}: repeated axis in ${JSON.stringify(list)}; list each axis once.`);
  return out;
}

export class AxisError extends RangeError {
  constructor(message: string) { super(message); this.name = 'AxisError'; }
}

export function checkShape(shape: unknown, what: string): number[] {
  if (typeof shape === 'number') shape = [shape];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${what}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}.`);
  }
  return shape as number[];
}
