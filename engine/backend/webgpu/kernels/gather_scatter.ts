// gather and the scatter family on the webgpu backend: each invocation walks a run of consecutive
// elements of the windowed array (gather's output, scatter's updates), with the linear index
// arithmetic of WindowIndexing (lax/primitives/gather_scatter.ts) passed in a uniform block.
//
// Scatters copy the operand, then apply the updates. Updates with duplicate indices race, so
// combining scatters use atomics: atomicAdd/Min/Max for 32-bit integers and bool words,
// and a compare-exchange loop on the u32 bits for floats (and for integer products). A float16
// element shares its 32-bit word with a neighbour, so with shader-f16 the loop exchanges the whole
// word and changes one half. Plain `scatter` just stores: with duplicates one update wins, which
// JAX leaves unspecified too.

import type { ShapedArray } from '../../../core/aval.js';
import type { DType } from '../../../core/dtype.js';
import type { Params } from '../../../core/primitive.js';
import {
  type GatherParams, type ScatterParams, type WindowIndexing, defaultFillValue, gatherIndexing, scatterIndexing,
} from '../../../lax/primitives/gather_scatter.js';
import { wgslHelperSource } from '../../../lax/primitives/wgsl_helpers.js';
import { enableF16, helpersForStore, storageType } from '../dtype_wgsl.js';
import { type GpuBuffer, type GpuOperand, type KernelContext, registerGpuKernel } from '../kernel.js';
import { GRID_BUILTINS, WORKGROUP_INDEX, at, kernelType, loadAs, putWords, storeAs } from './wgsl_lib.js';

const WG = 64;
const MAX_DIMS = 12;
const V = MAX_DIMS / 4;

const UNIFORMS = `struct U {
  total: u32, rank: u32, nStart: u32, clampStarts: u32, fillBits: u32, pad0: u32, pad1: u32, pad2: u32,
  shape: array<vec4<u32>, ${V}>, operandStrides: array<vec4<u32>, ${V}>, indicesStrides: array<vec4<u32>, ${V}>,
  startStrides: array<vec4<u32>, ${V}>, startMax: array<vec4<i32>, ${V}>,
}`;

/** Consecutive elements per invocation: the first one's coordinates take divisions, the rest increments. */
const RUN = 16;

/**
 * The entry point: each invocation walks RUN consecutive elements e of the windowed array with an
 * odometer over their coordinates, and runs `body` for each with `o`, the operand offset element e
 * addresses — or -1 when its window is out of bounds and starts are not clamped.
 */
function walkWindows(indexDtype: DType, body: string): string {
  // Indices are read as i32; uint32 indices past i32's range are out of bounds either way.
  const idx = indexDtype === 'uint32' ? 'i32(min(idx[j], 0x7fffffffu))' : 'idx[j]';
  const shape = (d: string) => at('u.shape', d), opStride = (d: string) => at('u.operandStrides', d), idxStride = (d: string) => at('u.indicesStrides', d);
  return `/** The operand offset of the element whose window part is at \`window\` and whose index vector starts at idx[j0]. */
fn operandOffset(window: u32, j0: u32) -> i32 {
  var off = window; var j = j0;
  for (var k = 0u; k < u.nStart; k++) {
    var s = ${idx};
    let hi = ${at('u.startMax', 'k')};
    if (s < 0 || s > hi) {
      if (u.clampStarts == 0u) { return -1; }
      s = clamp(s, 0, hi);
    }
    off += u32(s) * ${at('u.startStrides', 'k')};
    j++;
  }
  return i32(off);
}
@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  let first = (wg * ${WG}u + lid) * ${RUN}u;
  if (first >= u.total) { return; }
  let last = min(first + ${RUN}u, u.total);
  var coord: array<u32, ${MAX_DIMS}>;
  var rem = first; var window = 0u; var j = 0u;
  for (var d = u.rank; d > 0u; d--) {
    let a = d - 1u;
    let c = rem % ${shape('a')};
    rem /= ${shape('a')};
    coord[a] = c;
    window += c * ${opStride('a')};
    j += c * ${idxStride('a')};
  }
  for (var e = first; e < last; e++) {
    let o = operandOffset(window, j);
    ${body}
    for (var d = u.rank; d > 0u; d--) {
      let a = d - 1u;
      coord[a] += 1u; window += ${opStride('a')}; j += ${idxStride('a')};
      if (coord[a] < ${shape('a')}) { break; }
      window -= ${opStride('a')} * coord[a]; j -= ${idxStride('a')} * coord[a]; coord[a] = 0u;
    }
  }
}`;
}

function uniformsFor(ix: WindowIndexing, clampStarts: boolean, fillBits: number, label: string): Uint32Array {
  const u = new Uint32Array(8 + 5 * MAX_DIMS);
  u.set([ix.shape.reduce((a, b) => a * b, 1), ix.shape.length, ix.startStrides.length, clampStarts ? 1 : 0, fillBits >>> 0]);
  putWords(u, 8, ix.shape, MAX_DIMS, label);
  putWords(u, 8 + MAX_DIMS, ix.operandStrides, MAX_DIMS, label);
  putWords(u, 8 + 2 * MAX_DIMS, ix.indicesStrides, MAX_DIMS, label);
  putWords(u, 8 + 3 * MAX_DIMS, ix.startStrides, MAX_DIMS, label);
  putWords(u, 8 + 4 * MAX_DIMS, ix.startMax.map((m) => m >>> 0), MAX_DIMS, label);
  return u;
}

/** The 32 bits of a number in the kernel type of `dtype` (f32 bits for floats). */
function kernelBits(dtype: DType, v: number): number {
  if (kernelType(dtype) !== 'f32') return v >>> 0;
  return new Uint32Array(new Float32Array([v]).buffer)[0];
}

// ---- gather --------------------------------------------------------------------------------------

function gatherShader(dtype: DType, indexDtype: DType, hasF16: boolean): string {
  const s = storageType(dtype, hasF16);
  const t = kernelType(dtype);
  const fill = storeAs(dtype, hasF16, t === 'u32' ? 'u.fillBits' : `bitcast<${t}>(u.fillBits)`);
  return `${enableF16([dtype], hasF16)}${UNIFORMS}
@group(0) @binding(0) var<storage, read> x: array<${s}>;
@group(0) @binding(1) var<storage, read> idx: array<${storageType(indexDtype, hasF16)}>;
@group(0) @binding(2) var<storage, read_write> y: array<${s}>;
@group(0) @binding(3) var<uniform> u: U;
${wgslHelperSource(helpersForStore(dtype))}
${walkWindows(indexDtype, `if (o < 0) { y[e] = ${fill}; } else { y[e] = x[u32(o)]; }`)}`;
}

registerGpuKernel('gather', (ctx, [operand, indices], params: Params, [out]) => {
  const p = params as GatherParams;
  const result = ctx.allocateFor(out);
  if (out.size === 0) return [result];
  const ix = gatherIndexing(operand.aval, indices.aval, out, p);
  const fill = p.fill_value === null || p.fill_value === undefined ? defaultFillValue(out.dtype) : Number(p.fill_value);
  ctx.dispatch({
    code: gatherShader(out.dtype, indices.aval.dtype, ctx.hasF16),
    inputs: [operand.buffer, indices.buffer], outputs: [result],
    // promise_in_bounds gathers clamp, as XLA's do.
    uniforms: uniformsFor(ix, p.mode !== 'fill', kernelBits(out.dtype, fill), 'gather'),
    workgroups: ctx.grid(Math.ceil(out.size / RUN), WG), label: 'gather',
  });
  return [result];
});

// ---- scatter family ------------------------------------------------------------------------------

type Combine = 'replace' | 'add' | 'mul' | 'min' | 'max';
const COMBINE: Record<string, Combine> = { scatter: 'replace', 'scatter-add': 'add', 'scatter-mul': 'mul', 'scatter-min': 'min', 'scatter-max': 'max' };

/** A float formula for a compare-exchange loop, over f32 values `a` (current) and `b` (update), and the helpers it calls. */
const floatCombine: Record<Exclude<Combine, 'replace'>, { formula: (a: string, b: string) => string; helpers: string[] }> = {
  add: { formula: (a, b) => `(${a} + ${b})`, helpers: [] },
  mul: { formula: (a, b) => `(${a} * ${b})`, helpers: [] },
  min: { formula: (a, b) => `tl_min_f32(${a}, ${b})`, helpers: ['tl_min_f32'] },
  max: { formula: (a, b) => `tl_max_f32(${a}, ${b})`, helpers: ['tl_max_f32'] },
};

/** WGSL that applies `upd` (kernel type) at element `off` of `y`. */
function applyUpdate(combine: Combine, dtype: DType, hasF16: boolean): { decl: string; body: string; helpers: string[] } {
  const storage = storageType(dtype, hasF16);
  const t = kernelType(dtype);
  if (combine === 'replace') {
    return { decl: `array<${storage}>`, body: `y[off] = ${storeAs(dtype, hasF16, 'upd')};`, helpers: helpersForStore(dtype) };
  }
  if (t !== 'f32') {
    // Bool words (0/1, which scatter-min/max accept) order as u32 does.
    const atomic = { add: 'atomicAdd', max: 'atomicMax', min: 'atomicMin', mul: null }[combine];
    if (atomic) return { decl: `array<atomic<${t}>>`, body: `${atomic}(&y[off], upd);`, helpers: [] };
    return {
      decl: `array<atomic<${t}>>`, helpers: [],
      body: `var old = atomicLoad(&y[off]);
    loop {
      let r = atomicCompareExchangeWeak(&y[off], old, old * upd);
      if (r.exchanged) { break; }
      old = r.old_value;
    }`,
    };
  }
  const { formula: f, helpers } = floatCombine[combine];
  if (storage === 'f16') {
    // Exchange the 32-bit word holding this f16 and its neighbour, changing only our half.
    return {
      decl: 'array<atomic<u32>>', helpers: [...helpers, 'tl_f16_bits', 'tl_round_f16'],
      body: `let word = off / 2u;
    let shift = (off % 2u) * 16u;
    var old = atomicLoad(&y[word]);
    loop {
      let current = unpack2x16float(old >> shift).x;
      let bits = tl_f16_bits(tl_round_f16(${f('current', 'upd')}));
      let next = (old & ~(0xffffu << shift)) | (bits << shift);
      let r = atomicCompareExchangeWeak(&y[word], old, next);
      if (r.exchanged) { break; }
      old = r.old_value;
    }`,
    };
  }
  // f32 storage: float32, or float16 without shader-f16 (an f32 holding a value rounded to f16).
  return {
    decl: 'array<atomic<u32>>', helpers: [...helpers, ...helpersForStore(dtype)],
    body: `var old = atomicLoad(&y[off]);
    loop {
      let r = atomicCompareExchangeWeak(&y[off], old, bitcast<u32>(${storeAs(dtype, hasF16, f('bitcast<f32>(old)', 'upd'))}));
      if (r.exchanged) { break; }
      old = r.old_value;
    }`,
  };
}

function scatterShader(combine: Combine, dtype: DType, indexDtype: DType, hasF16: boolean): string {
  const apply = applyUpdate(combine, dtype, hasF16);
  return `${enableF16([dtype], hasF16)}${UNIFORMS}
@group(0) @binding(0) var<storage, read> updates: array<${storageType(dtype, hasF16)}>;
@group(0) @binding(1) var<storage, read> idx: array<${storageType(indexDtype, hasF16)}>;
@group(0) @binding(2) var<storage, read_write> y: ${apply.decl};
@group(0) @binding(3) var<uniform> u: U;
${wgslHelperSource(apply.helpers)}
${walkWindows(indexDtype, `if (o >= 0) {
    let off = u32(o);
    let upd = ${loadAs(dtype, hasF16, 'updates[e]')};
    ${apply.body}
  }`)}`;
}

function scatterKernel(prim: string) {
  return (ctx: KernelContext, [operand, indices, updates]: GpuOperand[], params: Params, [out]: ShapedArray[]): GpuBuffer[] => {
    const p = params as ScatterParams;
    const result = ctx.clone(operand.buffer, operand.aval);
    if (updates.aval.size === 0 || out.size === 0) return [result];
    const ix = scatterIndexing(operand.aval, indices.aval, updates.aval, p);
    ctx.dispatch({
      code: scatterShader(COMBINE[prim], out.dtype, indices.aval.dtype, ctx.hasF16),
      inputs: [updates.buffer, indices.buffer], outputs: [result],
      // Only 'clip' clamps; 'fill' (FILL_OR_DROP) and promise_in_bounds drop out-of-bounds windows, as XLA does.
      uniforms: uniformsFor(ix, p.mode === 'clip', 0, prim),
      workgroups: ctx.grid(Math.ceil(updates.aval.size / RUN), WG), label: prim,
    });
    return [result];
  };
}

for (const prim of Object.keys(COMBINE)) registerGpuKernel(prim, scatterKernel(prim));
