// sort on the webgpu backend: a bitonic sort of a permutation per line.
//
// Each line along `dimension` gets a permutation of P = nextPow2(n) slots; slots past n are padding
// that compares greater than every element. Bitonic merge steps order the permutation by the keys,
// compared lexicographically and then by original index — so the order is total and the sort
// stable. Finally every operand is gathered through the permutation. NaN sorts after +inf and
// -0.0 equals 0.0, as in JAX.
//
// A step (k, j) compare-exchanges slots j apart. Steps with j < BLOCK stay inside aligned blocks of
// BLOCK slots, so one invocation runs all of them for its block in registers ("local" passes);
// only steps with larger j take a dispatch each ("global" passes). Software adapters pay mostly per
// invocation and per dispatch, so this cuts both. Sizes that are powers of two (P, k, j, BLOCK)
// travel with their log2 so shaders shift and mask: u32 division is scalarized on SIMD adapters.

import type { DType } from '../../../core/dtype.js';
import type { Params } from '../../../core/primitive.js';
import { sizeOf } from '../../../core/shape.js';
import { wgslHelperSource } from '../../../lax/primitives/wgsl_helpers.js';
import { enableF16, storageType } from '../dtype_wgsl.js';
import { type GpuBuffer, type GpuOperand, type KernelContext, registerGpuKernel } from '../kernel.js';
import { GRID_BUILTINS, WORKGROUP_INDEX, kernelType, loadAs } from './wgsl_lib.js';

const WG = 64;

const BLOCK = 32;

const LINES = `struct U { lines: u32, n: u32, P: u32, inner: u32, k: u32, kLast: u32, j: u32, logP: u32, logJ: u32, logB: u32, init: u32 }
/** The offset of element 0 of a line; element i is i * u.inner further. */
fn lineStart(line: u32) -> u32 { return (line / u.inner) * u.n * u.inner + line % u.inner; }`;

/** Bindings and \`less(start, a, b)\`: whether element a of the line at \`start\` sorts before element b. */
function comparator(keyDtypes: DType[], hasF16: boolean): string {
  const keyLess = keyDtypes.map((d, i) => {
    const lt = (x: string, y: string) => (kernelType(d) === 'f32' ? `tl_sort_lt(${x}, ${y})` : `${x} < ${y}`);
    return `  {
    let x = ${loadAs(d, hasF16, `key${i}[start + a * u.inner]`)};
    let y = ${loadAs(d, hasF16, `key${i}[start + b * u.inner]`)};
    if (${lt('x', 'y')}) { return true; }
    if (${lt('y', 'x')}) { return false; }
  }`;
  }).join('\n');
  return `${enableF16(keyDtypes, hasF16)}${LINES}
${keyDtypes.map((d, i) => `@group(0) @binding(${i}) var<storage, read> key${i}: array<${storageType(d, hasF16)}>;`).join('\n')}
@group(0) @binding(${keyDtypes.length}) var<storage, read_write> perm: array<u32>;
@group(0) @binding(${keyDtypes.length + 1}) var<uniform> u: U;
${wgslHelperSource(['tl_sort_lt'])}
fn less(start: u32, a: u32, b: u32) -> bool {
  if (a >= u.n || b >= u.n) { return b >= u.n && (a < u.n || a < b); }
${keyLess}
  return a < b;
}`;
}

/** One step (k, j) with j >= BLOCK over every line: an invocation per compare-exchange pair. */
function globalShader(keyDtypes: DType[], hasF16: boolean): string {
  return `${comparator(keyDtypes, hasF16)}
@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  let t = wg * ${WG}u + lid;
  let logHalf = u.logP - 1u;
  if (t >= u.lines << logHalf) { return; }
  let line = t >> logHalf;
  let p = t & ((1u << logHalf) - 1u);
  // The lower slot of the p-th pair: bit logJ of i is 0, and its partner is i + j.
  let i = ((p >> u.logJ) << (u.logJ + 1u)) | (p & (u.j - 1u));
  let base = line * u.P;
  let a = perm[base + i];
  let b = perm[base + i + u.j];
  if (less(lineStart(line), b, a) == ((i & u.k) == 0u)) { perm[base + i] = b; perm[base + i + u.j] = a; }
}`;
}

/**
 * For k = u.k … u.kLast (doubling), every step with j < 2^logB, on one block of 2^logB slots per
 * invocation held in registers. With u.init the permutation starts as the identity.
 */
function localShader(keyDtypes: DType[], hasF16: boolean): string {
  return `${comparator(keyDtypes, hasF16)}
@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  let t = wg * ${WG}u + lid;
  let logBlocks = u.logP - u.logB;
  if (t >= u.lines << logBlocks) { return; }
  let line = t >> logBlocks;
  let first = (t & ((1u << logBlocks) - 1u)) << u.logB;
  let base = line * u.P + first;
  let size = 1u << u.logB;
  let start = lineStart(line);
  var v: array<u32, ${BLOCK}>;
  for (var q = 0u; q < size; q++) {
    if (u.init != 0u) { v[q] = first + q; } else { v[q] = perm[base + q]; }
  }
  for (var k = u.k; k <= u.kLast; k <<= 1u) {
    var j = min(k >> 1u, size >> 1u);
    var logJ = countTrailingZeros(j);
    while (j > 0u) {
      for (var q = 0u; q < (size >> 1u); q++) {
        let i = ((q >> logJ) << (logJ + 1u)) | (q & (j - 1u));
        let a = v[i];
        let b = v[i + j];
        if (less(start, b, a) == (((first + i) & k) == 0u)) { v[i] = b; v[i + j] = a; }
      }
      j >>= 1u;
      logJ -= 1u;
    }
  }
  for (var q = 0u; q < size; q++) { perm[base + q] = v[q]; }
}`;
}

function gatherShader(dtype: DType, hasF16: boolean): string {
  const s = storageType(dtype, hasF16);
  return `${enableF16([dtype], hasF16)}${LINES}
@group(0) @binding(0) var<storage, read> x: array<${s}>;
@group(0) @binding(1) var<storage, read> perm: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<${s}>;
@group(0) @binding(3) var<uniform> u: U;
@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  let t = wg * ${WG}u + lid;
  if (t >= u.lines * u.n) { return; }
  let line = t / u.n;
  let i = t % u.n;
  let start = lineStart(line);
  y[start + i * u.inner] = x[start + perm[line * u.P + i] * u.inner];
}`;
}

function sortKernel(ctx: KernelContext, inputs: GpuOperand[], params: Params): GpuBuffer[] {
  const dimension = params.dimension as number, numKeys = params.num_keys as number;
  const shape = inputs[0].aval.shape;
  const outs = inputs.map((x) => ctx.allocateFor(x.aval));
  const size = inputs[0].aval.size;
  if (size === 0) return outs;
  const maxKeys = ctx.device.limits.maxStorageBuffersPerShaderStage - 1;
  if (numKeys > maxKeys) {
    throw new RangeError(`sort: ${numKeys} sort keys need more storage buffers than this WebGPU adapter binds (${maxKeys + 1}); ` +
      'combine keys or sort on the cpu device.');
  }
  const n = shape[dimension];
  const inner = sizeOf(shape.slice(dimension + 1));
  const lines = size / n;
  const logP = Math.ceil(Math.log2(n)), P = 2 ** logP;
  const logB = Math.min(logP, Math.log2(BLOCK)), B = 2 ** logB;
  const uniforms = (o: { k?: number; kLast?: number; j?: number; init?: boolean }) =>
    new Uint32Array([lines, n, P, inner, o.k ?? 2, o.kLast ?? 0, o.j ?? 1, logP, Math.log2(o.j ?? 1), logB, o.init ? 1 : 0]);
  const perm = ctx.allocate(lines * P * 4);
  const keys = inputs.slice(0, numKeys);
  const keyBuffers = keys.map((x) => x.buffer);
  const local = localShader(keys.map((x) => x.aval.dtype), ctx.hasF16);
  const global = globalShader(keys.map((x) => x.aval.dtype), ctx.hasF16);
  const localPass = (k: number, kLast: number, init: boolean) => ctx.dispatch({
    code: local, inputs: keyBuffers, outputs: [perm], uniforms: uniforms({ k, kLast, init }), workgroups: ctx.grid(lines * P / B, WG), label: 'sort',
  });
  // Sort each block, then merge blocks: global steps down to j = B, then the rest locally.
  localPass(2, B, true);
  for (let k = 2 * B; k <= P; k *= 2) {
    for (let j = k / 2; j >= B; j /= 2) {
      ctx.dispatch({ code: global, inputs: keyBuffers, outputs: [perm], uniforms: uniforms({ k, j }), workgroups: ctx.grid(lines * P / 2, WG), label: 'sort' });
    }
    localPass(k, k, false);
  }
  inputs.forEach((x, o) => {
    ctx.dispatch({ code: gatherShader(x.aval.dtype, ctx.hasF16), inputs: [x.buffer, perm], outputs: [outs[o]], uniforms: uniforms({}), workgroups: ctx.grid(size, WG), label: 'sort' });
  });
  ctx.releaseTemp(perm);
  return outs;
}

registerGpuKernel('sort', sortKernel);
