// One WGSL shader per pointwise primitive application: load each operand (broadcasting size-1
// dimensions and scalars), convert storage → compute type, apply the primitive's WGSL formula,
// convert back, store.
//
// The shader text depends on the formula, the dtypes, the rank and how each operand is indexed —
// never on the sizes, which travel in a uniform block — so one compiled pipeline serves every shape
// of a given rank. Operands are indexed one of three ways:
//   same       the operand has the output's size: element i (no index math)
//   scalar     the operand has one element: element 0
//   broadcast  dims of size 1 are repeated: i is split into coordinates and dotted with strides

import type { ShapedArray } from '../../core/aval.js';
import type { Primitive, Params, ElementwiseContext } from '../../core/primitive.js';
import { stridesOf } from '../../core/shape.js';
import { wgslHelpers } from '../../lax/primitives/wgsl_helpers.js';
import { computeType, loadExpr, storageType, storeExpr, storagePreamble } from './dtype_wgsl.js';
import { GRID_INDEX, GRID_PARAMS, type GpuBuffer, type GpuOperand, type KernelContext } from './kernel.js';

const WORKGROUP_SIZE = 256;

type Indexing = 'same' | 'scalar' | 'broadcast';

function indexingOf(operand: ShapedArray, out: ShapedArray): Indexing {
  if (operand.size === out.size) return 'same';
  if (operand.size === 1) return 'scalar';
  return 'broadcast';
}

/** The uniform word `w` of the `dims` block (an array of vec4<u32>, as uniform layout requires). */
const word = (w: number) => `dims[${w >> 2}].${'xyzw'[w & 3]}`;

export function runElementwise(ctx: KernelContext, prim: Primitive, inputs: GpuOperand[], params: Params, out: ShapedArray): GpuBuffer {
  const result = ctx.allocateFor(out);
  if (out.size === 0) return result;
  const rule = prim.elementwise!;
  const ec: ElementwiseContext = { inDtypes: inputs.map((x) => x.aval.dtype), outDtype: out.dtype, params };
  const indexing = inputs.map((x) => indexingOf(x.aval, out));
  const rank = out.ndim;

  // Uniform words: [n, out shape (when broadcasting), strides of each broadcast operand].
  const words: number[] = [out.size];
  const broadcasting = indexing.includes('broadcast');
  if (broadcasting) words.push(...out.shape);
  const strideBase: number[] = [];
  inputs.forEach((x, k) => {
    if (indexing[k] !== 'broadcast') return;
    strideBase[k] = words.length;
    const s = stridesOf(x.aval.shape);
    words.push(...x.aval.shape.map((d, ax) => (d === 1 ? 0 : s[ax])));
  });

  const body: string[] = [];
  if (broadcasting) {
    body.push('  var rest = i;');
    for (let d = rank - 1; d > 0; d--) body.push(`  let c${d} = rest % ${word(1 + d)}; rest = rest / ${word(1 + d)};`);
    body.push('  let c0 = rest;');
  }
  const operandExprs = inputs.map((x, k) => {
    let index = 'i';
    if (indexing[k] === 'scalar') index = '0u';
    if (indexing[k] === 'broadcast') index = [...Array(rank).keys()].map((d) => `c${d} * ${word(strideBase[k] + d)}`).join(' + ');
    body.push(`  let x${k}: ${computeType(x.aval.dtype)} = ${loadExpr(x.aval.dtype, ctx.hasF16, `in${k}[${index}]`)};`);
    return `x${k}`;
  });
  body.push(`  out[i] = ${storeExpr(out.dtype, ctx.hasF16, rule.wgsl(ec, ...operandExprs))};`);

  const helperNames = [...new Set(rule.wgslHelpers?.(ec) ?? [])];
  const helpers = helperNames.map((name) => {
    const fn = wgslHelpers[name];
    if (fn === undefined) throw new Error(`Tracelens internal error: ${prim.name} uses the WGSL helper ${name}, which lax/primitives/wgsl_helpers.ts does not define.`);
    return fn;
  });
  const { enables, helpers: storageHelpers } = storagePreamble([...ec.inDtypes, out.dtype], ctx.hasF16);
  const bindings = inputs.map((x, k) => `@group(0) @binding(${k}) var<storage, read> in${k}: array<${storageType(x.aval.dtype, ctx.hasF16)}>;`);
  bindings.push(`@group(0) @binding(${inputs.length}) var<storage, read_write> out: array<${storageType(out.dtype, ctx.hasF16)}>;`);
  bindings.push(`@group(0) @binding(${inputs.length + 1}) var<uniform> dims: array<vec4<u32>, ${Math.ceil(words.length / 4)}>;`);

  const code = `${enables}${bindings.join('\n')}
${storageHelpers}${helpers.join('\n')}
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
