// What concrete arrays and tracers share: an abstract value and, installed by engine/numpy, the
// method forms of the numpy functions (`x.add(y)`, `x.sum()`, `x.reshape(...)`, `x.T`).

import type { ShapedArray } from './aval.js';
import type { DType } from './dtype.js';

export abstract class ArrayBase {
  abstract readonly aval: ShapedArray;
  get shape(): number[] { return [...this.aval.shape]; }
  get dtype(): DType { return this.aval.dtype; }
  get ndim(): number { return this.aval.shape.length; }
  get size(): number { return this.aval.size; }
  get weakType(): boolean { return this.aval.weakType; }
}
