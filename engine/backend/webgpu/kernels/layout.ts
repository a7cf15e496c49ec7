// Layout kernels for the webgpu backend: primitives that move elements without arithmetic.
//
// Most are one *strided copy* shader. It walks a row-major shape and, for walk element i at
// coordinates c, uses the other side's element `base + Σ (c[d] + start[d]) · stride[d]`:
//   gather   dst[i] = src[strided]   broadcast_in_dim (stride 0), transpose, rev (negative stride),
//                                     slice, dynamic_slice (starts read from device scalars)
//   scatter  dst[strided] = src[i]   concatenate (one dispatch per operand), dynamic_update_slice
// Shapes, strides and the rank travel in uniforms, and 32-bit dtypes are copied as raw u32 words,
// so a handful of compiled pipelines serve every layout op of every shape. Reshape-like ops
// (reshape, squeeze, expand_dims, copy) are buffer copies; pad and iota have shaders of their own.

import type { ShapedArray } from '../../../core/aval.js';
import type { DType } from '../../../core/dtype.js';
import type { Params } from '../../../core/primitive.js';
import { stridesOf } from '../../../core/shape.js';
import { STRIDED_VIEW_PRIMITIVES, stridedViewOf } from '../../../lax/primitives/shape_ops.js';
import { wgslHelperSource } from '../../../lax/primitives/wgsl_helpers.js';
import { enableF16, helpersForStore, storageType, storeExpr } from '../dtype_wgsl.js';
import { GRID_INDEX, GRID_PARAMS, registerGpuKernel, type GpuBuffer, type GpuOperand, type KernelContext } from '../kernel.js';

const WORKGROUP_SIZE = 256;
/** Ranks up to this fit the uniform blocks below. */
const MAX_RANK = 16;

/** The element type copied: every 32-bit storage type moves as u32 bits; f16 storage as f16. */
const copyElement = (dtype: DType, hasF16: boolean) => (storageType(dtype, hasF16) === 'f16' ? 'f16' : 'u32');

function checkRank(prim: string, rank: number): void {
  if (rank > MAX_RANK) throw new RangeError(`${prim} on the webgpu backend supports arrays of rank up to ${MAX_RANK}, got rank ${rank}; reshape to fewer dimensions or use the cpu device.`);
}

/**
 * A uniform block: words [n, rank, base, 0] then one MAX_RANK-word section per per-dimension list.
 * Negative numbers are stored as their two's-complement bits (the shader bitcasts them to i32).
 */
function uniformBlock(n: number, rank: number, base: number, sections: (readonly number[])[]): Uint32Array {
  const words = new Uint32Array(4 + MAX_RANK * sections.length);
  words[0] = n; words[1] = rank; words[2] = base;
  sections.forEach((s, k) => words.set(s.map((v) => v >>> 0), 4 + MAX_RANK * k));
  return words;
}

const UNIFORM_ACCESSOR = (vec4s: number) => `@group(0) @binding(UNIFORM_BINDING) var<uniform> u: array<vec4<u32>, ${vec4s}>;
fn word(k: u32) -> u32 { return u[k / 4u][k % 4u]; }
fn iword(k: u32) -> i32 { return bitcast<i32>(word(k)); }`;

// ---- the strided copy shader -----------------------------------------------------------------

type Direction = 'gather' | 'scatter';

// Section offsets in the uniform block.
const SHAPE = 4, STRIDES = 4 + MAX_RANK, MAX_START = 4 + 2 * MAX_RANK, SIGNED = 4 + 3 * MAX_RANK;

function stridedCopyCode(element: 'u32' | 'f16', direction: Direction, dynamic: boolean): string {
  const sections = dynamic ? 4 : 2;
  const bindings = [`@group(0) @binding(0) var<storage, read> src: array<${element}>;`];
  if (dynamic) bindings.push('@group(0) @binding(1) var<storage, read> starts: array<u32>;');
  bindings.push(`@group(0) @binding(${bindings.length}) var<storage, read_write> dst: array<${element}>;`);
  const uniformBinding = bindings.length;
  // A dynamic start is clamped into [0, shape - size], as XLA clamps dynamic_slice starts.
  const startFn = dynamic ? `
fn start(d: u32) -> i32 {
  let raw = starts[d];
  let hi = iword(${MAX_START}u + d);
  if (word(${SIGNED}u + d) == 1u) { return clamp(bitcast<i32>(raw), 0, hi); }
  return i32(min(raw, u32(hi)));
}` : '';
  return `${element === 'f16' ? 'enable f16;\n' : ''}${bindings.join('\n')}
${UNIFORM_ACCESSOR(Math.ceil((4 + MAX_RANK * sections) / 4)).replace('UNIFORM_BINDING', String(uniformBinding))}
${startFn}
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(${GRID_PARAMS}) {
  let i = ${GRID_INDEX(WORKGROUP_SIZE)};
  if (i >= word(0u)) { return; }
  var rest = i;
  var at = iword(2u);
  for (var d = word(1u); d > 0u; d--) {
    let size = word(${SHAPE}u + d - 1u);
    let c = i32(rest % size);
    rest = rest / size;
    at += (c${dynamic ? ' + start(d - 1u)' : ''}) * iword(${STRIDES}u + d - 1u);
  }
  ${direction === 'gather' ? 'dst[i] = src[at];' : 'dst[at] = src[i];'}
}
`;
}

interface StridedCopy {
  direction: Direction;
  src: GpuBuffer;
  dst: GpuBuffer;
  dtype: DType;
  /** The shape walked: the destination's for a gather, the source's for a scatter. */
  walk: readonly number[];
  /** Strides (in elements) of the strided side, one per walked dimension. */
  strides: readonly number[];
  base: number;
  /** Device scalars holding a start index per walked dimension, clamped into [0, maxStart]. */
  starts?: { operands: GpuOperand[]; maxStart: readonly number[] };
  label: string;
}

function stridedCopy(ctx: KernelContext, op: StridedCopy): void {
  const n = op.walk.reduce((a, b) => a * b, 1);
  if (n === 0) return;
  checkRank(op.label, op.walk.length);
  const element = copyElement(op.dtype, ctx.hasF16);
  const inputs = [op.src];
  const sections: (readonly number[])[] = [op.walk, op.strides];
  let startWords: GpuBuffer | null = null;
  if (op.starts) {
    // Gather the index scalars into one small buffer, so the shader has a fixed number of bindings.
    startWords = ctx.allocate(4 * op.starts.operands.length);
    op.starts.operands.forEach((s, d) => ctx.copyBuffer(s.buffer, startWords!, 4, 0, 4 * d));
    inputs.push(startWords);
    sections.push(op.starts.maxStart, op.starts.operands.map((s) => (s.aval.dtype === 'int32' ? 1 : 0)));
  }
  ctx.dispatch({
    code: stridedCopyCode(element, op.direction, !!op.starts),
    inputs,
    outputs: [op.dst],
    uniforms: uniformBlock(n, op.walk.length, op.base, sections),
    workgroups: ctx.grid(n, WORKGROUP_SIZE),
    label: op.label,
  });
  if (startWords) ctx.releaseTemp(startWords);
}

/** dst = a strided view of src (shape `out`). */
function gatherView(ctx: KernelContext, label: string, x: GpuOperand, out: ShapedArray, strides: readonly number[], base: number, starts?: StridedCopy['starts']): GpuBuffer {
  const dst = ctx.allocateFor(out);
  stridedCopy(ctx, { direction: 'gather', src: x.buffer, dst, dtype: out.dtype, walk: out.shape, strides, base, starts, label });
  return dst;
}

for (const name of STRIDED_VIEW_PRIMITIVES) {
  registerGpuKernel(name, (ctx, [x], params, [out]) => {
    const { strides, offset } = stridedViewOf(name, x.aval.shape, params);
    return [gatherView(ctx, name, x, out, strides, offset)];
  });
}

// Row-major order is unchanged by these: the output is a copy of the operand's buffer.
for (const name of ['reshape', 'squeeze', 'expand_dims', 'copy', 'copy_p']) {
  registerGpuKernel(name, (ctx, [x], _params, [out]) => [ctx.clone(x.buffer, out)]);
}

registerGpuKernel('dynamic_slice', (ctx, [x, ...indices], params, [out]) => {
  const sizes = params.slice_sizes as number[];
  return [gatherView(ctx, 'dynamic_slice', x, out, stridesOf(x.aval.shape), 0, {
    operands: indices, maxStart: x.aval.shape.map((n, d) => n - sizes[d]),
  })];
});

registerGpuKernel('dynamic_update_slice', (ctx, [x, update, ...indices], _params, [out]) => {
  const dst = ctx.clone(x.buffer, out);
  stridedCopy(ctx, {
    direction: 'scatter', src: update.buffer, dst, dtype: out.dtype, walk: update.aval.shape,
    strides: stridesOf(x.aval.shape), base: 0, label: 'dynamic_update_slice',
    starts: { operands: indices, maxStart: x.aval.shape.map((n, d) => n - update.aval.shape[d]) },
  });
  return [dst];
});

registerGpuKernel('concatenate', (ctx, xs, params, [out]) => {
  const dim = params.dimension as number;
  const dst = ctx.allocateFor(out);
  const os = stridesOf(out.shape);
  let at = 0;
  for (const x of xs) {
    stridedCopy(ctx, { direction: 'scatter', src: x.buffer, dst, dtype: out.dtype, walk: x.aval.shape, strides: os, base: at * os[dim], label: 'concatenate' });
    at += x.aval.shape[dim];
  }
  return [dst];
});

// ---- pad ---------------------------------------------------------------------------------------

// Output coordinate c comes from operand coordinate (c - lo) / (interior + 1) when that divides
// exactly and is in range; everything else is the padding value. Negative lo/hi need no special
// case: the cropped operand elements are simply never gathered.
const P_OUT = 4, P_LO = 4 + MAX_RANK, P_STEP = 4 + 2 * MAX_RANK, P_IN = 4 + 3 * MAX_RANK, P_STRIDES = 4 + 4 * MAX_RANK;

function padCode(element: 'u32' | 'f16'): string {
  return `${element === 'f16' ? 'enable f16;\n' : ''}@group(0) @binding(0) var<storage, read> src: array<${element}>;
@group(0) @binding(1) var<storage, read> padding: array<${element}>;
@group(0) @binding(2) var<storage, read_write> dst: array<${element}>;
${UNIFORM_ACCESSOR(Math.ceil((4 + 5 * MAX_RANK) / 4)).replace('UNIFORM_BINDING', '3')}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(${GRID_PARAMS}) {
  let i = ${GRID_INDEX(WORKGROUP_SIZE)};
  if (i >= word(0u)) { return; }
  var rest = i;
  var at = 0;
  var inside = true;
  for (var d = word(1u); d > 0u; d--) {
    let k = d - 1u;
    let size = word(${P_OUT}u + k);
    let q = i32(rest % size) - iword(${P_LO}u + k);
    rest = rest / size;
    let step = iword(${P_STEP}u + k);
    if (q < 0 || q % step != 0 || q / step >= iword(${P_IN}u + k)) {
      inside = false;
    } else {
      at += (q / step) * iword(${P_STRIDES}u + k);
    }
  }
  if (inside) { dst[i] = src[at]; } else { dst[i] = padding[0]; }
}
`;
}

registerGpuKernel('pad', (ctx, [x, value], params, [out]) => {
  const config = params.padding_config as [number, number, number][];
  const dst = ctx.allocateFor(out);
  if (out.size === 0) return [dst];
  checkRank('pad', out.ndim);
  ctx.dispatch({
    code: padCode(copyElement(out.dtype, ctx.hasF16)),
    inputs: [x.buffer, value.buffer],
    outputs: [dst],
    uniforms: uniformBlock(out.size, out.ndim, 0, [
      out.shape, config.map((c) => c[0]), config.map((c) => c[2] + 1), x.aval.shape, stridesOf(x.aval.shape),
    ]),
    workgroups: ctx.grid(out.size, WORKGROUP_SIZE),
    label: 'pad',
  });
  return [dst];
});

// ---- iota --------------------------------------------------------------------------------------

function iotaCode(dtype: DType, hasF16: boolean): string {
  const value = dtype === 'bool' ? 'v != 0u' : dtype === 'uint32' ? 'v' : dtype === 'int32' ? 'i32(v)' : 'f32(v)';
  return `${enableF16([dtype], hasF16)}@group(0) @binding(0) var<storage, read_write> dst: array<${storageType(dtype, hasF16)}>;
@group(0) @binding(1) var<uniform> u: vec4<u32>;
${wgslHelperSource(helpersForStore(dtype))}
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(${GRID_PARAMS}) {
  let i = ${GRID_INDEX(WORKGROUP_SIZE)};
  if (i >= u.x) { return; }
  let v = (i / u.y) % u.z;
  dst[i] = ${storeExpr(dtype, hasF16, value)};
}
`;
}

registerGpuKernel('iota', (ctx, _inputs, params: Params, [out]) => {
  const dim = params.dimension as number;
  const dst = ctx.allocateFor(out);
  const inner = out.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  ctx.dispatch({
    code: iotaCode(out.dtype, ctx.hasF16),
    inputs: [],
    outputs: [dst],
    uniforms: new Uint32Array([out.size, inner, out.shape[dim], 0]),
    workgroups: ctx.grid(out.size, WORKGROUP_SIZE),
    label: 'iota',
  });
  return [dst];
});
