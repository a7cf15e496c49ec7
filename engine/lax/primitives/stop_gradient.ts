// stop_gradient: the identity on values, a constant to differentiation (JAX's `stop_gradient`
// primitive, which prints in jaxprs). Its tangent is always a symbolic zero, so nothing flows back
// through it in any order of differentiation.

import { definePrimitive, defineJvp } from '../../core/primitive.js';
import { Zero } from '../../core/ad_util.js';
import { bind1 } from '../../core/trace.js';
import { isFloat } from '../../core/dtype.js';
import { ShapedArray } from '../../core/aval.js';

export const stop_gradient = definePrimitive({
  name: 'stop_gradient',
  abstractEval([x]) { return [x]; },
  elementwise: { cpu: () => (x: number) => x, wgsl: (_c, a) => a },
});

// ---- JVP and transpose rules ----
defineJvp(stop_gradient, ([x]) => {
  const out = bind1(stop_gradient, [x]);
  return [[out], [new Zero(isFloat(x.dtype) ? x.aval : new ShapedArray(x.shape, 'bool'))]];
});
