// dot_general on the webgpu backend.
//
// Both operands are brought to canonical layouts in the kernel's compute type: lhs as [B, M, Kp]
// and rhs as [B, Kp, Np], where B, M, K, N are the products of the batch, lhs-free, contracting
// and rhs-free dims and Kp, Np are K, N rounded up to multiples of 4 (zero padded). An operand
// already in that layout is used as it is; otherwise one "canonicalize" dispatch transposes, pads
// and converts it (f16 → f32, or to the preferred element type). Then a batched matmul computes
// [B, M, N], which is the result's row-major layout (batch…, lhs free…, rhs free…).
//
// The matmul is tuned for software adapters such as lavapipe, where workgroup barriers are
// expensive: no workgroup memory; each invocation loads vec4s along K of MATMUL_TILE.rows lhs rows and
// vec4s along N of four rhs rows, and accumulates a MATMUL_TILE.rows × 4 block of outputs in registers.
// Rows past M are clamped on load and skipped on store; columns past N are zeros of the padding.
// Integer products and sums wrap around at 32 bits, as WGSL integer arithmetic does.

import type { ShapedArray } from '../../../core/aval.js';
import { type DType, isFloat } from '../../../core/dtype.js';
import type { Params } from '../../../core/primitive.js';
import { stridesOf } from '../../../core/shape.js';
import { type DotDimensionNumbers, type MatrixDims, batchedMatmulView } from '../../../lax/primitives/dot_general.js';
import { wgslHelperSource } from '../../../lax/primitives/wgsl_helpers.js';
import { enableF16, helpersForStore, storageType } from '../dtype_wgsl.js';
import { type GpuBuffer, type GpuOperand, type KernelContext, registerGpuKernel } from '../kernel.js';
import { GRID_BUILTINS, WORKGROUP_INDEX, at, type KernelScalar, kernelType, loadAs, putWords, storeAs } from './wgsl_lib.js';

/**
 * Outputs per invocation are `rows` × 4; workgroups are wgX × wgY invocations. Measured on lavapipe
 * (2 cores, 1024³ f32, interleaved medians): 8×4 outputs per invocation reach 6.5–7.0 GFLOP/s with
 * 8×4, 8×8 or 16×8 workgroups (8×4 slightly ahead); 4×4 outputs 5.6 (8×8) and 4.9 (16×16); 8×8
 * outputs and unrolling K both measured slower. Mutable so benchmarks can compare tiles.
 */
export const MATMUL_TILE = { rows: 8, wgX: 8, wgY: 4 };

const MAX_DIMS = 12;
const COPY_WG = 64;

export function matmulShader(t: KernelScalar, out: DType, hasF16: boolean, tile = MATMUL_TILE): string {
  const R = tile.rows;
  const rows = [...Array(R).keys()];
  const vec = `vec4<${t}>`;
  const st = (e: string) => storeAs(out, hasF16, t === kernelType(out) ? e : `${kernelType(out)}(${e})`);
  return `${enableF16([out], hasF16)}struct U { M: u32, N: u32, K4: u32, N4: u32, batchOffset: u32 }
@group(0) @binding(0) var<storage, read> a: array<${vec}>;
@group(0) @binding(1) var<storage, read> b: array<${vec}>;
@group(0) @binding(2) var<storage, read_write> c: array<${storageType(out, hasF16)}>;
@group(0) @binding(3) var<uniform> u: U;
${wgslHelperSource(helpersForStore(out))}
@compute @workgroup_size(${tile.wgX}, ${tile.wgY})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let col4 = gid.x;
  let row0 = gid.y * ${R}u;
  if (col4 >= u.N4 || row0 >= u.M) { return; }
  let batch = gid.z + u.batchOffset;
  let aBatch = batch * u.M * u.K4;
${rows.map((r) => `  let a${r} = aBatch + min(row0 + ${r}u, u.M - 1u) * u.K4;`).join('\n')}
  var bi = batch * u.K4 * 4u * u.N4 + col4;
${rows.map((r) => `  var acc${r} = ${vec}();`).join('\n')}
  for (var k = 0u; k < u.K4; k++) {
    let b0 = b[bi]; let b1 = b[bi + u.N4]; let b2 = b[bi + 2u * u.N4]; let b3 = b[bi + 3u * u.N4];
    bi += 4u * u.N4;
${rows.map((r) => `    let x${r} = a[a${r} + k];
    acc${r} += x${r}.x * b0 + x${r}.y * b1 + x${r}.z * b2 + x${r}.w * b3;`).join('\n')}
  }
  let col = col4 * 4u;
${rows.map((r) => `  if (row0 + ${r}u < u.M) {
    let o = (batch * u.M + row0 + ${r}u) * u.N + col;
    for (var j = 0u; j < 4u; j++) { if (col + j < u.N) { c[o + j] = ${st(`acc${r}[j]`)}; } }
  }`).join('\n')}
}`;
}

/**
 * Copies an operand into [B, Rp, Cp] of the compute type: its dims taken in the order of
 * `MatrixDims` (batch dims, then row dims, then column dims), rows zero-padded from R to Rp and
 * columns from C to Cp.
 */
function canonicalizeShader(src: DType, t: KernelScalar, hasF16: boolean): string {
  const V = MAX_DIMS / 4;
  const conv = (e: string) => (kernelType(src) === t ? e : `${t}(${e})`);
  return `${enableF16([src], hasF16)}struct U {
  total: u32, R: u32, Rp: u32, C: u32, Cp: u32, ndim: u32, pad0: u32, pad1: u32,
  sizes: array<vec4<u32>, ${V}>, strides: array<vec4<u32>, ${V}>,
}
@group(0) @binding(0) var<storage, read> x: array<${storageType(src, hasF16)}>;
@group(0) @binding(1) var<storage, read_write> y: array<${t}>;
@group(0) @binding(2) var<uniform> u: U;
@compute @workgroup_size(${COPY_WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  let i = wg * ${COPY_WG}u + lid;
  if (i >= u.total) { return; }
  let col = i % u.Cp;
  let row = (i / u.Cp) % u.Rp;
  if (col >= u.C || row >= u.R) { y[i] = ${t}(0); return; }
  var rem = ((i / (u.Cp * u.Rp)) * u.R + row) * u.C + col;
  var off = 0u;
  for (var d = u.ndim; d > 0u; d--) {
    let s = ${at('u.sizes', 'd - 1u')};
    off += (rem % s) * ${at('u.strides', 'd - 1u')};
    rem /= s;
  }
  y[i] = ${conv(loadAs(src, hasF16, 'x[off]'))};
}`;
}

const product = (shape: readonly number[], dims: number[]) => dims.reduce((p, d) => p * shape[d], 1);
const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/**
 * The operand as a [B, Rp, Cp] buffer of type t (see canonicalizeShader). Copies only when the
 * layout, padding or type differs.
 */
function canonical(ctx: KernelContext, x: GpuOperand, dims: MatrixDims, Rp: number, Cp: number, t: KernelScalar, label: string): { buffer: GpuBuffer; temp: boolean } {
  const shape = x.aval.shape;
  const order = [...dims.batch, ...dims.rows, ...dims.cols];
  const R = product(shape, dims.rows);
  const C = product(shape, dims.cols);
  const batch = product(shape, dims.batch);
  const inOrder = order.every((d, i) => d === i);
  const sameType = storageType(x.aval.dtype, ctx.hasF16) === t;
  if (inOrder && sameType && R === Rp && C === Cp && x.aval.size > 0) return { buffer: x.buffer, temp: false };
  const total = batch * Rp * Cp;
  // At least one vec4: the matmul binds this buffer as array<vec4<…>> even when it is empty.
  const y = ctx.allocate(Math.max(total, 4) * 4);
  if (total === 0) return { buffer: y, temp: true };
  const strides = stridesOf(shape);
  // Size-1 dims move nothing; leaving them out keeps more shapes within MAX_DIMS.
  const kept = order.filter((d) => shape[d] !== 1);
  const u = new Uint32Array(8 + 2 * MAX_DIMS);
  u.set([total, R, Rp, C, Cp, kept.length]);
  putWords(u, 8, kept.map((d) => shape[d]), MAX_DIMS, label);
  putWords(u, 8 + MAX_DIMS, kept.map((d) => strides[d]), MAX_DIMS, label);
  ctx.dispatch({ code: canonicalizeShader(x.aval.dtype, t, ctx.hasF16), inputs: [x.buffer], outputs: [y], uniforms: u, workgroups: ctx.grid(total, COPY_WG), label: `${label} (canonicalize)` });
  return { buffer: y, temp: true };
}

/** The type the matmul multiplies and accumulates in. */
function computeTypeFor(inDtype: DType, outDtype: DType): KernelScalar {
  return isFloat(inDtype) || isFloat(outDtype) ? 'f32' : kernelType(outDtype);
}

function dotGeneral(ctx: KernelContext, [lhs, rhs]: GpuOperand[], params: Params, [out]: ShapedArray[]): GpuBuffer[] {
  const { B, M, K, N, ...dims } = batchedMatmulView(lhs.aval.shape, rhs.aval.shape, params.dimension_numbers as DotDimensionNumbers);
  const result = ctx.allocateFor(out);
  if (out.size === 0) return [result];
  const t = computeTypeFor(lhs.aval.dtype, out.dtype);
  const Kp = roundUp4(K), Np = roundUp4(N);
  const a = canonical(ctx, lhs, dims.lhs, M, Kp, t, 'dot_general');
  const b = canonical(ctx, rhs, dims.rhs, Kp, Np, t, 'dot_general');
  const code = matmulShader(t, out.dtype, ctx.hasF16);
  const { rows, wgX, wgY } = MATMUL_TILE;
  const maxZ = ctx.device.limits.maxComputeWorkgroupsPerDimension;
  for (let b0 = 0; b0 < B; b0 += maxZ) {
    ctx.dispatch({
      code, inputs: [a.buffer, b.buffer], outputs: [result],
      uniforms: new Uint32Array([M, N, Kp / 4, Np / 4, b0]),
      workgroups: [Math.ceil(Np / 4 / wgX), Math.ceil(Math.ceil(M / rows) / wgY), Math.min(maxZ, B - b0)],
      label: 'dot_general',
    });
  }
  if (a.temp) ctx.releaseTemp(a.buffer);
  if (b.temp) ctx.releaseTemp(b.buffer);
  return [result];
}

registerGpuKernel('dot_general', dotGeneral);
