// sort on the webgpu backend: a bitonic sort of a permutation per line.
//
// Each line along `dimension` gets a permutation of P = nextPow2(n) slots, initially the identity;
// slots past n are padding that compares greater than every element. Bitonic merge stages
// (one dispatch per (k, j) pair, log2(P)·(log2(P)+1)/2 of them) order the permutation by the keys,
// compared lexicographically and then by original index — so the order is total and the sort
// stable. Finally every operand is gathered through the permutation. NaN sorts after +inf and
// -0.0 equals 0.0, as in JAX.

import type { DType } from '../../../core/dtype.js';
import type { Params } from '../../../core/primitive.js';
import { type GpuBuffer, type KernelContext, registerGpuKernel } from '../kernel.js';
import { GRID_BUILTINS, WORKGROUP_INDEX, bytesFor, header, helpers, kernelType, loadAs, storageOf } from './wgsl_lib.js';

const WG = 64;

const LINES = `struct U { lines: u32, n: u32, P: u32, inner: u32, k: u32, j: u32 }
/** The offset of element i of a line. */
fn at(line: u32, i: u32) -> u32 { return (line / u.inner) * u.n * u.inner + line % u.inner + i * u.inner; }`;

function initShader(): string {
  return `${LINES}
@group(0) @binding(0) var<storage, read_write> perm: array<u32>;
@group(0) @binding(1) var<uniform> u: U;
@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  let t = wg * ${WG}u + lid;
  if (t < u.lines * u.P) { perm[t] = t % u.P; }
}`;
}

/** One bitonic (k, j) stage over every line, comparing by the key operands then by index. */
function stageShader(keyDtypes: DType[], hasF16: boolean): string {
  const keys = keyDtypes.map((d, i) => ({ d, i, t: kernelType(d) }));
  const keyLess = keys.map(({ d, i, t }) => {
    const a = loadAs(d, hasF16, `key${i}[at(line, a)]`), b = loadAs(d, hasF16, `key${i}[at(line, b)]`);
    const lt = (x: string, y: string) => (t === 'f32' ? `tl_sort_lt(${x}, ${y})` : `${x} < ${y}`);
    return `  {
    let x = ${a}; let y = ${b};
    if (${lt('x', 'y')}) { return true; }
    if (${lt('y', 'x')}) { return false; }
  }`;
  }).join('\n');
  return `${header(keyDtypes, hasF16)}${LINES}
${keys.map(({ d, i }) => `@group(0) @binding(${i}) var<storage, read> key${i}: array<${storageOf(d, hasF16)}>;`).join('\n')}
@group(0) @binding(${keys.length}) var<storage, read_write> perm: array<u32>;
@group(0) @binding(${keys.length + 1}) var<uniform> u: U;
${helpers(['tl_isnan'])}
/** Float order for sorting: NaN after everything, -0.0 == 0.0 (a < b is false for both zeros). */
fn tl_sort_lt(a: f32, b: f32) -> bool {
  let an = tl_isnan(a); let bn = tl_isnan(b);
  if (an || bn) { return !an && bn; }
  return a < b;
}
/** Whether element a of a line sorts before element b (both original indices). */
fn less(line: u32, a: u32, b: u32) -> bool {
  if (a >= u.n || b >= u.n) { return b >= u.n && (a < u.n || a < b); }
${keyLess}
  return a < b;
}
@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  let t = wg * ${WG}u + lid;
  let half = u.P / 2u;
  if (t >= u.lines * half) { return; }
  let line = t / half;
  let p = t % half;
  let i = 2u * u.j * (p / u.j) + p % u.j;
  let base = line * u.P;
  let a = perm[base + i];
  let b = perm[base + i + u.j];
  let ascending = (i & u.k) == 0u;
  if (less(line, b, a) == ascending) { perm[base + i] = b; perm[base + i + u.j] = a; }
}`;
}

function gatherShader(dtype: DType, hasF16: boolean): string {
  const s = storageOf(dtype, hasF16);
  return `${header([dtype], hasF16)}${LINES}
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
  y[at(line, i)] = x[at(line, perm[line * u.P + i])];
}`;
}

function sortKernel(ctx: KernelContext, inputs: { buffer: GpuBuffer; aval: { shape: readonly number[]; dtype: DType; size: number } }[], params: Params): GpuBuffer[] {
  const dimension = params.dimension as number, numKeys = params.num_keys as number;
  const shape = inputs[0].aval.shape;
  const outs = inputs.map((x) => ctx.allocate(bytesFor(x.aval.dtype, x.aval.size, ctx.hasF16)));
  const size = inputs[0].aval.size;
  if (size === 0) return outs;
  const maxKeys = ctx.device.limits.maxStorageBuffersPerShaderStage - 1;
  if (numKeys > maxKeys) {
    throw new RangeError(`sort: ${numKeys} sort keys need more storage buffers than this WebGPU adapter binds (${maxKeys + 1}); ` +
      'combine keys or sort on the cpu device.');
  }
  const n = shape[dimension];
  const inner = shape.slice(dimension + 1).reduce((a, b) => a * b, 1);
  const lines = size / n;
  const P = 2 ** Math.ceil(Math.log2(n));
  const uniforms = (k: number, j: number) => new Uint32Array([lines, n, P, inner, k, j]);
  const perm = ctx.allocate(lines * P * 4);
  ctx.dispatch({ code: initShader(), inputs: [], outputs: [perm], uniforms: uniforms(0, 0), workgroups: ctx.grid(lines * P, WG), label: 'sort' });
  const stage = stageShader(inputs.slice(0, numKeys).map((x) => x.aval.dtype), ctx.hasF16);
  const keyBuffers = inputs.slice(0, numKeys).map((x) => x.buffer);
  for (let k = 2; k <= P; k *= 2) {
    for (let j = k / 2; j >= 1; j /= 2) {
      ctx.dispatch({ code: stage, inputs: keyBuffers, outputs: [perm], uniforms: uniforms(k, j), workgroups: ctx.grid(lines * P / 2, WG), label: 'sort' });
    }
  }
  inputs.forEach((x, o) => {
    ctx.dispatch({ code: gatherShader(x.aval.dtype, ctx.hasF16), inputs: [x.buffer, perm], outputs: [outs[o]], uniforms: uniforms(0, 0), workgroups: ctx.grid(size, WG), label: 'sort' });
  });
  ctx.releaseTemp(perm);
  return outs;
}

registerGpuKernel('sort', (ctx, inputs, params) => sortKernel(ctx, inputs, params));
