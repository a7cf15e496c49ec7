// Reductions on the webgpu backend: reduce_{sum,prod,max,min,and,or} over any set of axes, and
// argmax/argmin.
//
// The operand's dims are collapsed into alternating groups of kept and reduced dims, whose shapes
// and strides travel in a uniform block, so one shader per (op, dtype) serves every shape and axis
// set. Short reductions (at most SERIAL_MAX elements per output) run one invocation per output.
// Longer ones are tree reductions: a workgroup reduces a chunk of CHUNK elements (each invocation
// folds PER_THREAD of them, then a tree in workgroup memory folds the 64 partials), and when an
// output has several chunks the partials are reduced again the same way. Float sums thus add at
// most PER_THREAD terms in sequence at any level, which keeps f32 rounding error small.
// argmax/argmin reduce (value, index) pairs: NaN beats everything, ties go to the lower index.
//
// Value reductions of long contiguous rows (a full reduction, or over trailing axes, with more
// than CHUNK elements per output) take a faster route, see "long rows" below: barrier-free strip
// passes with vec4 loads, then one tree per output.

import type { ShapedArray } from '../../../core/aval.js';
import type { DType } from '../../../core/dtype.js';
import type { Params } from '../../../core/primitive.js';
import { stridesOf } from '../../../core/shape.js';
import { wgslHelperSource } from '../../../lax/primitives/wgsl_helpers.js';
import { enableF16, helpersForStore, storageType } from '../dtype_wgsl.js';
import { type GpuBuffer, type GpuOperand, type KernelContext, registerGpuKernel } from '../kernel.js';
import {
  F32_INF, F32_NEG_INF, GRID_BUILTINS, I32_MAX, I32_MIN, WORKGROUP_INDEX, at, kernelType, loadAs, monoid, type MonoidOp, putWords, storeAs,
} from './wgsl_lib.js';

const WG = 64;
// Software adapters pay per invocation and per barrier: folding 64 elements per invocation before
// the tree made a 16M-element sum 2.7× faster on lavapipe than folding 16.
const PER_THREAD = 64;
const CHUNK = WG * PER_THREAD;
const SERIAL_MAX = 64;
/** Kept or reduced dim groups at most (alternating, so operands of rank up to 16 fit). */
const MAX_GROUPS = 8;

/** Kept and reduced dims of an operand, collapsed into groups (outermost first). */
interface ReductionLayout {
  nOut: number;
  R: number;
  keptShape: number[]; keptStride: number[];
  redShape: number[]; redStride: number[];
}

function reductionLayout(shape: readonly number[], axes: readonly number[]): ReductionLayout {
  const L: ReductionLayout = { nOut: 1, R: 1, keptShape: [], keptStride: [], redShape: [], redStride: [] };
  const strides = stridesOf(shape);
  let lastKind: 'kept' | 'red' | null = null;
  shape.forEach((n, i) => {
    const kind = axes.includes(i) ? 'red' : 'kept';
    if (kind === 'red') L.R *= n; else L.nOut *= n;
    if (n === 1) return; // a size-1 dim moves nothing
    const [sh, st] = kind === 'red' ? [L.redShape, L.redStride] : [L.keptShape, L.keptStride];
    // Consecutive dims of one kind are contiguous in row-major order, so they merge into one.
    if (lastKind === kind) { sh[sh.length - 1] *= n; st[st.length - 1] = strides[i]; } else { sh.push(n); st.push(strides[i]); }
    lastKind = kind;
  });
  return L;
}

function uniformsFor(L: ReductionLayout, chunks: number, what: string): Uint32Array {
  const u = new Uint32Array(8 + 4 * MAX_GROUPS);
  u.set([L.nOut, L.R, chunks, L.keptShape.length, L.redShape.length]);
  putWords(u, 8, L.keptShape, MAX_GROUPS, what);
  putWords(u, 8 + MAX_GROUPS, L.keptStride, MAX_GROUPS, what);
  putWords(u, 8 + 2 * MAX_GROUPS, L.redShape, MAX_GROUPS, what);
  putWords(u, 8 + 3 * MAX_GROUPS, L.redStride, MAX_GROUPS, what);
  return u;
}

const V = MAX_GROUPS / 4;
const UNIFORMS = `struct U {
  nOut: u32, R: u32, chunks: u32, nKept: u32, nRed: u32, pad0: u32, pad1: u32, pad2: u32,
  keptShape: array<vec4<u32>, ${V}>, keptStride: array<vec4<u32>, ${V}>,
  redShape: array<vec4<u32>, ${V}>, redStride: array<vec4<u32>, ${V}>,
}`;
/** WGSL statements returning the offset of element `i` of a row-major walk over `n` dim groups. */
const groupWalk = (i: string, n: string, shape: string, stride: string) => `var rem = ${i}; var off = 0u;
  for (var k = ${n}; k > 0u; k--) {
    let s = ${at(shape, 'k - 1u')};
    off += (rem % s) * ${at(stride, 'k - 1u')};
    rem /= s;
  }
  return off;`;
const OFFSETS = `
fn outBase(o: u32) -> u32 {
  ${groupWalk('o', 'u.nKept', 'u.keptShape', 'u.keptStride')}
}
fn redOffset(r: u32) -> u32 {
  if (u.nRed == 1u) { return r * u.redStride[0].x; }
  ${groupWalk('r', 'u.nRed', 'u.redShape', 'u.redStride')}
}`;

/** The entry point of a serial pass: invocation `o` folds the R elements of output o, from `base`. */
const SERIAL_ENTRY = `@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  let o = wg * ${WG}u + lid;
  if (o >= u.nOut) { return; }
  let base = outBase(o);`;

/**
 * The entry point of a tree pass: workgroup `wg` folds elements [start, end) of output
 * wg / u.chunks, from `base`; it writes partial wg.
 */
const TREE_ENTRY = `@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  if (wg >= u.nOut * u.chunks) { return; }
  let base = outBase(wg / u.chunks);
  let start = (wg % u.chunks) * ${CHUNK}u;
  let end = min(start + ${CHUNK}u, u.R);`;

/** One dispatch of a reduction: whether it reads the operand, writes the result, runs serially. */
interface Pass { first: boolean; final: boolean; serial: boolean }

/**
 * Runs a reduction of `x` over `axes` as passes and returns the result buffer: one serial pass when
 * every output folds at most SERIAL_MAX elements, else tree passes until one chunk per output is
 * left, each pass reading what the one before wrote. `plan` gives a pass's shader and its output
 * buffers: `result` where the final pass writes, `partials()` for a new temporary of one word per
 * partial. Temporaries are released once read.
 */
function runPasses(ctx: KernelContext, x: GpuOperand, axes: number[], out: ShapedArray, label: string,
  plan: (pass: Pass, result: GpuBuffer, partials: () => GpuBuffer) => { code: string; outputs: GpuBuffer[] }): GpuBuffer {
  const result = ctx.allocateFor(out);
  let L = reductionLayout(x.aval.shape, axes);
  if (L.nOut === 0) return result;
  const serial = L.R <= SERIAL_MAX;
  let inputs = [x.buffer], first = true;
  for (;;) {
    const chunks = serial ? 1 : Math.ceil(L.R / CHUNK);
    const final = chunks === 1;
    const { code, outputs } = plan({ first, final, serial }, result, () => ctx.allocate(L.nOut * chunks * 4));
    ctx.dispatch({
      code, inputs, outputs, uniforms: uniformsFor(L, chunks, label),
      workgroups: ctx.grid(serial ? L.nOut : L.nOut * chunks * WG, WG), label,
    });
    if (!first) for (const b of inputs) ctx.releaseTemp(b);
    if (final) {
      for (const b of outputs) if (b !== result) ctx.releaseTemp(b);
      return result;
    }
    // The partials form an [nOut, chunks] array, reduced along its last dim next.
    L = { nOut: L.nOut, R: chunks, keptShape: [L.nOut], keptStride: [chunks], redShape: [chunks], redStride: [1] };
    inputs = outputs; first = false;
  }
}

/** How a pass reads its input and writes its output: the array's storage, or kernel-type partials. */
interface Ends { inType: string; load(e: string): string; outType: string; store(e: string): string; enableF16: string; helpers: string[] }

function ends(inDtype: DType, outDtype: DType, hasF16: boolean, first: boolean, final: boolean): Ends {
  const t = kernelType(inDtype);
  return {
    inType: first ? storageType(inDtype, hasF16) : t,
    load: first ? (e) => loadAs(inDtype, hasF16, e) : (e) => e,
    outType: final ? storageType(outDtype, hasF16) : t,
    store: final ? (e) => storeAs(outDtype, hasF16, e) : (e) => e,
    enableF16: enableF16([...(first ? [inDtype] : []), ...(final ? [outDtype] : [])], hasF16),
    helpers: final ? helpersForStore(outDtype) : [],
  };
}

// ---- value reductions ----------------------------------------------------------------------------

function reduceShader(op: MonoidOp, dtype: DType, e: Ends, serial: boolean): string {
  const m = monoid(op, dtype);
  const t = kernelType(dtype);
  const decls = `${e.enableF16}${UNIFORMS}
@group(0) @binding(0) var<storage, read> x: array<${e.inType}>;
@group(0) @binding(1) var<storage, read_write> y: array<${e.outType}>;
@group(0) @binding(2) var<uniform> u: U;
${wgslHelperSource([...m.helpers, ...e.helpers])}
${OFFSETS}`;
  if (serial) {
    return `${decls}
${SERIAL_ENTRY}
  var acc: ${t} = ${m.identity};
  for (var r = 0u; r < u.R; r++) { acc = ${m.combine('acc', e.load('x[base + redOffset(r)]'))}; }
  y[o] = ${e.store('acc')};
}`;
  }
  return `${decls}
var<workgroup> partial: array<${t}, ${WG}>;
${TREE_ENTRY}
  var acc: ${t} = ${m.identity};
  for (var r = start + lid; r < end; r += ${WG}u) { acc = ${m.combine('acc', e.load('x[base + redOffset(r)]'))}; }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] = ${m.combine('partial[lid]', 'partial[lid + s]')}; }
    workgroupBarrier();
  }
  if (lid == 0u) { y[wg] = ${e.store('partial[0]')}; }
}`;
}

function runReduce(op: MonoidOp, ctx: KernelContext, x: GpuOperand, axes: number[], out: ShapedArray, label: string): GpuBuffer {
  const dtype = x.aval.dtype;
  const L = reductionLayout(x.aval.shape, axes);
  if (L.nOut > 0 && isLongRow(L.R) && isRows(L)) return runRows(op, ctx, x, L, out, label);
  return runPasses(ctx, x, axes, out, label, ({ first, final, serial }, result, partials) => ({
    code: reduceShader(op, dtype, ends(dtype, out.dtype, ctx.hasF16, first, final), serial),
    outputs: [final ? result : partials()],
  }));
}

// ---- long rows ------------------------------------------------------------------------------------
// An operand that is [nOut, R] in row-major order (the reduced dims trailing and contiguous) with
// long rows. On a software adapter every workgroup barrier and every load instruction costs, so:
//  - strip passes split each row into chunks of STRIP_UNITS loads; a workgroup folds one chunk,
//    each invocation striding by the workgroup size (adjacent invocations read adjacent words),
//    and writes its own partial: no workgroup memory, no barrier;
//  - loads are vec4 when a row is a whole number of vec4s of 32-bit words, folded into four
//    accumulators (one per component), so a sum adds at most STRIP_PER_THREAD terms in sequence;
//  - once a row's partials fit one workgroup's STRIP_UNITS loads, a final pass folds each row with
//    one workgroup and a tree in workgroup memory.
// A 4M-element f32 sum is then one strip pass (128 workgroups) and one final workgroup: on lavapipe
// (2 cores) 3–4× faster end to end than the generic passes, whose 1024 workgroups each run a
// 7-barrier tree (about 5 ms against 23 ms on a quiet machine).

// The jit compiler's fused reductions fold in this same order (../jit/codegen.ts), so that fused and
// eager sums round alike: it takes these constants and predicates from here.

export const STRIP_WG = 128;
const STRIP_PER_THREAD = 64;
/** Loads (vec4 or scalar) one strip workgroup folds. */
export const STRIP_UNITS = STRIP_WG * STRIP_PER_THREAD;

/** Whether the reduced elements of each output are one contiguous run, the outputs one after another. */
export function isRows(L: Pick<ReductionLayout, 'R' | 'keptShape' | 'keptStride' | 'redShape' | 'redStride'>): boolean {
  return L.redShape.length === 1 && L.redStride[0] === 1 &&
    (L.keptShape.length === 0 || (L.keptShape.length === 1 && L.keptStride[0] === L.R));
}

/** Whether a reduction of R elements per output takes the long-rows route (given isRows). */
export const isLongRow = (R: number): boolean => R > CHUNK;

/** Words per load of a first pass over rows of R elements of `dtype`: vec4 when rows are whole vec4s of 32-bit words. */
export function rowLoadWidth(dtype: DType, R: number, hasF16: boolean): 1 | 4 {
  return R % 4 === 0 && storageType(dtype, hasF16) === kernelType(dtype) ? 4 : 1;
}

/**
 * One pass over rows of `units` loads of `width` words: workgroup wg folds loads
 * [c·span, min((c+1)·span, units)) of row wg / chunks (c = wg % chunks). A strip pass writes one
 * partial per invocation (y[wg · STRIP_WG + lid]); the final pass (chunks = 1) writes y[row].
 */
function rowShader(op: MonoidOp, dtype: DType, e: Ends, width: 1 | 4, final: boolean): string {
  const m = monoid(op, dtype);
  const t = kernelType(dtype);
  const lanes = width === 4 ? ['x', 'y', 'z', 'w'] : [''];
  const accs = lanes.map((_, k) => `a${k}`);
  const fold = lanes.map((c, k) => `a${k} = ${m.combine(`a${k}`, e.load(c ? `v.${c}` : 'v'))};`).join(' ');
  const folded = width === 4 ? m.combine(m.combine('a0', 'a1'), m.combine('a2', 'a3')) : 'a0';
  const finish = final ? `partial[lid] = ${folded};
  workgroupBarrier();
  for (var s = ${STRIP_WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] = ${m.combine('partial[lid]', 'partial[lid + s]')}; }
    workgroupBarrier();
  }
  if (lid == 0u) { y[row] = ${e.store('partial[0]')}; }` : `y[wg * ${STRIP_WG}u + lid] = ${folded};`;
  return `${e.enableF16}struct U { nOut: u32, units: u32, chunks: u32, span: u32 }
@group(0) @binding(0) var<storage, read> x: array<${width === 4 ? `vec4<${e.inType}>` : e.inType}>;
@group(0) @binding(1) var<storage, read_write> y: array<${e.outType}>;
@group(0) @binding(2) var<uniform> u: U;
${wgslHelperSource([...m.helpers, ...e.helpers])}
${final ? `var<workgroup> partial: array<${t}, ${STRIP_WG}>;` : ''}
@compute @workgroup_size(${STRIP_WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  if (wg >= u.nOut * u.chunks) { return; }
  let row = wg / u.chunks;
  let first = (wg % u.chunks) * u.span;
  let start = row * u.units + first;
  let end = row * u.units + min(first + u.span, u.units);
  ${accs.map((a) => `var ${a}: ${t} = ${m.identity};`).join(' ')}
  for (var i = start + lid; i < end; i += ${STRIP_WG}u) {
    let v = x[i];
    ${fold}
  }
  ${finish}
}`;
}

function runRows(op: MonoidOp, ctx: KernelContext, x: GpuOperand, L: ReductionLayout, out: ShapedArray, label: string): GpuBuffer {
  const dtype = x.aval.dtype;
  const result = ctx.allocateFor(out);
  // Partials are kernel-type words, STRIP_WG per chunk: always a whole number of vec4s.
  let width = rowLoadWidth(dtype, L.R, ctx.hasF16);
  let units = L.R / width;
  let input = x.buffer, first = true;
  for (;;) {
    const final = units <= STRIP_UNITS;
    const chunks = final ? 1 : Math.ceil(units / STRIP_UNITS);
    const output = final ? result : ctx.allocate(L.nOut * chunks * STRIP_WG * 4);
    ctx.dispatch({
      code: rowShader(op, dtype, ends(dtype, out.dtype, ctx.hasF16, first, final), width, final),
      inputs: [input], outputs: [output],
      uniforms: new Uint32Array([L.nOut, units, chunks, final ? units : STRIP_UNITS]),
      workgroups: ctx.grid(L.nOut * chunks * STRIP_WG, STRIP_WG), label,
    });
    if (!first) ctx.releaseTemp(input);
    if (final) return result;
    input = output; first = false;
    width = 4;
    units = (chunks * STRIP_WG) / 4;
  }
}

for (const op of ['sum', 'prod', 'max', 'min', 'and', 'or'] as const) {
  const name = `reduce_${op}`;
  registerGpuKernel(name, (ctx, [x], params: Params, [out]) => [runReduce(op, ctx, x, params.axes as number[], out, name)]);
}

// ---- argmax / argmin -----------------------------------------------------------------------------

/** WGSL `better(bv, bi, v, i)`: whether candidate (v, i) beats the current best (bv, bi). */
function betterFn(kind: 'max' | 'min', t: string): string {
  const cmp = kind === 'max' ? '>' : '<';
  if (t === 'f32') {
    return `fn better(bv: f32, bi: u32, v: f32, i: u32) -> bool {
  let bn = tl_isnan(bv); let vn = tl_isnan(v);
  if (bn || vn) { return vn && (!bn || i < bi); }
  return v ${cmp} bv || (v == bv && i < bi);
}`;
  }
  return `fn better(bv: ${t}, bi: u32, v: ${t}, i: u32) -> bool { return v ${cmp} bv || (v == bv && i < bi); }`;
}

function argIdentity(kind: 'max' | 'min', t: string): string {
  if (t === 'f32') return kind === 'max' ? F32_NEG_INF : F32_INF;
  if (t === 'i32') return kind === 'max' ? I32_MIN : I32_MAX;
  return kind === 'max' ? '0u' : '0xffffffffu';
}

/**
 * Shapes of the arg-reduction shader. First passes read the operand and take r as the index;
 * continuing passes read (value, index) partials. Tree passes write (value, index) pairs; the
 * serial pass writes only indices.
 */
function argShader(kind: 'max' | 'min', dtype: DType, hasF16: boolean, first: boolean, serial: boolean): string {
  const t = kernelType(dtype);
  const inType = first ? storageType(dtype, hasF16) : t;
  const load = (e: string) => (first ? loadAs(dtype, hasF16, e) : e);
  let b = 0;
  const binding = () => `@group(0) @binding(${b++})`;
  const decls = `${first ? enableF16([dtype], hasF16) : ''}${UNIFORMS}
${binding()} var<storage, read> x: array<${inType}>;
${first ? '' : `${binding()} var<storage, read> xi: array<u32>;`}
${serial ? '' : `${binding()} var<storage, read_write> yv: array<${t}>;`}
${binding()} var<storage, read_write> yi: array<u32>;
${binding()} var<uniform> u: U;
${wgslHelperSource(t === 'f32' ? ['tl_isnan', 'tl_inf'] : [])}
${betterFn(kind, t)}
${OFFSETS}`;
  // The best (value, index) so far, and the step folding in element r.
  const best = `var bv: ${t} = ${argIdentity(kind, t)};
  var bi = 0xffffffffu;`;
  const foldElement = `let off = base + redOffset(r);
    let v = ${load('x[off]')};
    let i = ${first ? 'r' : 'xi[off]'};
    if (better(bv, bi, v, i)) { bv = v; bi = i; }`;
  if (serial) {
    return `${decls}
${SERIAL_ENTRY}
  ${best}
  for (var r = 0u; r < u.R; r++) {
    ${foldElement}
  }
  yi[o] = bi;
}`;
  }
  return `${decls}
var<workgroup> pv: array<${t}, ${WG}>;
var<workgroup> pi: array<u32, ${WG}>;
${TREE_ENTRY}
  ${best}
  for (var r = start + lid; r < end; r += ${WG}u) {
    ${foldElement}
  }
  pv[lid] = bv; pi[lid] = bi;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s && better(pv[lid], pi[lid], pv[lid + s], pi[lid + s])) { pv[lid] = pv[lid + s]; pi[lid] = pi[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) { yv[wg] = pv[0]; yi[wg] = pi[0]; }
}`;
}

function runArg(kind: 'max' | 'min', ctx: KernelContext, x: GpuOperand, axes: number[], out: ShapedArray, label: string): GpuBuffer {
  const dtype = x.aval.dtype;
  // Indices are stored as u32 words; int32 and uint32 share the bits of every valid index. A tree
  // pass writes (value, index) partials; the serial pass, indices only.
  return runPasses(ctx, x, axes, out, label, ({ first, final, serial }, result, partials) => ({
    code: argShader(kind, dtype, ctx.hasF16, first, serial),
    outputs: serial ? [result] : [partials(), final ? result : partials()],
  }));
}

registerGpuKernel('argmax', (ctx, [x], params: Params, [out]) => [runArg('max', ctx, x, params.axes as number[], out, 'argmax')]);
registerGpuKernel('argmin', (ctx, [x], params: Params, [out]) => [runArg('min', ctx, x, params.axes as number[], out, 'argmin')]);
