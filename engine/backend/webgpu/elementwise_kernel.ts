// One WGSL shader per pointwise primitive application: load each operand (broadcasting size-1
// dimensions and scalars), convert storage → compute type, apply the primitive's WGSL formula,
// convert back, store.
//
// The shader text depends on the formula, the dtypes and how operands are indexed — never on the
// sizes, which travel in a uniform block — so one compiled pipeline serves many shapes. Two ways:
//   direct   every operand has the output's size (element i) or one element (element 0): no index
//            math, and the shader does not depend on the rank
//   strided  some operand repeats size-1 dimensions: i is split into coordinates (rank baked into
//            the source) and dotted with each operand's strides (0 along repeated dimensions)

import type { ShapedArray } from '../../core/aval.js';
import type { Primitive, Params, ElementwiseContext } from '../../core/primitive.js';
import { stridesOf } from '../../core/shape.js';
import { wgslHelperSource } from '../../lax/primitives/wgsl_helpers.js';
import { computeType, enableF16, helpersForStore, loadExpr, storageType, storeExpr } from './dtype_wgsl.js';
import { GRID_INDEX, GRID_PARAMS, type GpuBuffer, type GpuOperand, type KernelContext } from './kernel.js';

const WORKGROUP_SIZE = 256;

/** The uniform word `w` of the `dims` block (an array of vec4<u32>, as uniform layout requires). */
const word = (w: number) => `dims[${w >> 2}].${'xyzw'[w & 3]}`;

export function runElementwise(ctx: KernelContext, prim: Primitive, inputs: GpuOperand[], params: Params, out: ShapedArray): GpuBuffer {
  const result = ctx.allocateFor(out);
  if (out.size === 0) return result;
  const rule = prim.elementwise!;
  const ec: ElementwiseContext = { inDtypes: inputs.map((x) => x.aval.dtype), outDtype: out.dtype, params };
  const rank = out.ndim;
  const direct = inputs.every((x) => x.aval.size === out.size || x.aval.size === 1);

  // Uniform words: [n], then for the strided way the output shape and each operand's strides.
  const words: number[] = [out.size];
  const body: string[] = [];
  if (!direct) {
    words.push(...out.shape);
    body.push('  var rest = i;');
    for (let d = rank - 1; d > 0; d--) body.push(`  let c${d} = rest % ${word(1 + d)}; rest = rest / ${word(1 + d)};`);
    body.push('  let c0 = rest;');
  }
  const operandExprs = inputs.map((x, k) => {
    let index: string;
    if (direct) index = x.aval.size === out.size ? 'i' : '0u';
    else {
      const s = stridesOf(x.aval.shape);
      const base = words.length;
      words.push(...out.shape.map((_, ax) => (x.aval.ndim === 0 || x.aval.shape[ax] === 1 ? 0 : s[ax])));
      index = [...Array(rank).keys()].map((d) => `c${d} * ${word(base + d)}`).join(' + ');
    }
    body.push(`  let x${k}: ${computeType(x.aval.dtype)} = ${loadExpr(x.aval.dtype, ctx.hasF16, `in${k}[${index}]`)};`);
    return `x${k}`;
  });
  body.push(`  out[i] = ${storeExpr(out.dtype, ctx.hasF16, rule.wgsl(ec, ...operandExprs))};`);

  const helpers = wgslHelperSource([...helpersForStore(out.dtype), ...(rule.wgslHelpers?.(ec) ?? [])]);
  const bindings = inputs.map((x, k) => `@group(0) @binding(${k}) var<storage, read> in${k}: array<${storageType(x.aval.dtype, ctx.hasF16)}>;`);
  bindings.push(`@group(0) @binding(${inputs.length}) var<storage, read_write> out: array<${storageType(out.dtype, ctx.hasF16)}>;`);
  bindings.push(`@group(0) @binding(${inputs.length + 1}) var<uniform> dims: array<vec4<u32>, ${Math.ceil(words.length / 4)}>;`);

  const code = `${enableF16([...ec.inDtypes, out.dtype], ctx.hasF16)}${bindings.join('\n')}
${helpers}
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(${GRID_PARAMS}) {
  let i = ${GRID_INDEX(WORKGROUP_SIZE)};
  if (i >= ${word(0)}) { return; }
${body.join('\n')}
}
`;
  ctx.dispatch({
    code,
    inputs: inputs.map((x) => x.buffer),
    outputs: [result],
    uniforms: new Uint32Array(words),
    workgroups: ctx.grid(out.size, WORKGROUP_SIZE),
    label: prim.name,
  });
  return result;
}
