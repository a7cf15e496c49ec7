// Printing arrays like JAX's repr: `Array([1., 2., 3.], dtype=float32)`.
// Placeholder formatter; the numpy-style number formatting lives in ../numpy/repr.ts and is
// installed here so that core does not depend on numpy.

import type { ShapedArray } from './aval.js';
import type { TypedArray } from './dtype.js';

type Formatter = (aval: ShapedArray, host: TypedArray | null, platform: string) => string;
let impl: Formatter = (aval) => `Array(shape=[${aval.shape}], dtype=${aval.dtype})`;

export function installFormatter(f: Formatter): void { impl = f; }
export function formatArray(aval: ShapedArray, host: TypedArray | null, platform: string): string { return impl(aval, host, platform); }
