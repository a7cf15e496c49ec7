// Cumulative reductions on the webgpu backend: cumsum, cumprod, cummax, cummin[axis, reverse].
//
// The operand is seen as lines along `axis` (outer × inner lines of n elements, `inner` apart).
// Each line is cut into blocks of BLOCK elements, one invocation per (line, block):
//   1. when a line has several blocks, each block's total is computed;
//   2. the totals, an [lines, blocks] array, are scanned by this same algorithm (recursively);
//   3. each block is scanned in sequence starting from the scanned total of the blocks before it.
// Work stays linear, every (line, block) runs in parallel, and a float sum adds at most BLOCK terms
// in sequence at any level. `reverse` scans from the end of each line.

import type { DType } from '../../../core/dtype.js';
import type { Params } from '../../../core/primitive.js';
import { sizeOf } from '../../../core/shape.js';
import { wgslHelperSource } from '../../../lax/primitives/wgsl_helpers.js';
import { enableF16, helpersForStore, storageType } from '../dtype_wgsl.js';
import { type GpuBuffer, type KernelContext, registerGpuKernel } from '../kernel.js';
import { GRID_BUILTINS, WORKGROUP_INDEX, kernelType, loadAs, monoid, storeAs } from './wgsl_lib.js';

const WG = 64;
const BLOCK = 64;

type ScanOp = 'sum' | 'prod' | 'max' | 'min';

/** One pass over (line, block) pairs. `totals` folds each block; `scan` writes the running values. */
function scanShader(op: ScanOp, dtype: DType, hasF16: boolean, pass: 'totals' | 'scan', first: boolean, withCarry: boolean): string {
  const m = monoid(op, dtype);
  const t = kernelType(dtype);
  // The first level reads the operand's storage; deeper levels read kernel-type block totals.
  const inType = first ? storageType(dtype, hasF16) : t;
  const load = (e: string) => (first ? loadAs(dtype, hasF16, e) : e);
  const final = pass === 'scan' && first;
  const outType = final ? storageType(dtype, hasF16) : t;
  const store = (e: string) => (final ? storeAs(dtype, hasF16, e) : e);
  let b = 0;
  const binding = () => `@group(0) @binding(${b++})`;
  const body = pass === 'totals'
    ? `  var acc: ${t} = ${m.identity};
  for (var k = k0; k < k1; k++) { acc = ${m.combine('acc', load('x[offset(line, k)]'))}; }
  y[line * u.blocks + block] = acc;`
    : `  var acc: ${t} = ${m.identity};
  ${withCarry ? 'if (block > 0u) { acc = carry[line * u.blocks + block - 1u]; }' : ''}
  for (var k = k0; k < k1; k++) {
    let off = offset(line, k);
    acc = ${m.combine('acc', load('x[off]'))};
    y[off] = ${store('acc')};
  }`;
  return `${enableF16(first || final ? [dtype] : [], hasF16)}struct U { lines: u32, n: u32, inner: u32, blocks: u32, reverse: u32 }
${binding()} var<storage, read> x: array<${inType}>;
${withCarry ? `${binding()} var<storage, read> carry: array<${t}>;` : ''}
${binding()} var<storage, read_write> y: array<${outType}>;
${binding()} var<uniform> u: U;
${wgslHelperSource([...m.helpers, ...(final ? helpersForStore(dtype) : [])])}
/** The offset of the k-th element, in scan order, of a line. */
fn offset(line: u32, k: u32) -> u32 {
  let pos = select(k, u.n - 1u - k, u.reverse != 0u);
  return (line / u.inner) * u.n * u.inner + line % u.inner + pos * u.inner;
}
@compute @workgroup_size(${WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  let i = wg * ${WG}u + lid;
  if (i >= u.lines * u.blocks) { return; }
  let line = i / u.blocks;
  let block = i % u.blocks;
  let k0 = block * ${BLOCK}u;
  let k1 = min(k0 + ${BLOCK}u, u.n);
${body}
}`;
}

/**
 * Scans `x` (lines × n × inner, as described above) into `out`. `first` says whether `x` holds the
 * operand's storage or kernel-type totals of a previous level (which are then scanned in order).
 */
function scanInto(ctx: KernelContext, op: ScanOp, dtype: DType, x: GpuBuffer, out: GpuBuffer,
  shape: { lines: number; n: number; inner: number; reverse: boolean }, first: boolean, label: string): void {
  const blocks = Math.ceil(shape.n / BLOCK);
  const uniforms = new Uint32Array([shape.lines, shape.n, shape.inner, blocks, shape.reverse ? 1 : 0]);
  const workgroups = ctx.grid(shape.lines * blocks, WG);
  if (blocks === 1) {
    ctx.dispatch({ code: scanShader(op, dtype, ctx.hasF16, 'scan', first, false), inputs: [x], outputs: [out], uniforms, workgroups, label });
    return;
  }
  const totals = ctx.allocate(shape.lines * blocks * 4);
  ctx.dispatch({ code: scanShader(op, dtype, ctx.hasF16, 'totals', first, false), inputs: [x], outputs: [totals], uniforms, workgroups, label });
  const scannedTotals = ctx.allocate(shape.lines * blocks * 4);
  scanInto(ctx, op, dtype, totals, scannedTotals, { lines: shape.lines, n: blocks, inner: 1, reverse: false }, false, label);
  ctx.releaseTemp(totals);
  ctx.dispatch({ code: scanShader(op, dtype, ctx.hasF16, 'scan', first, true), inputs: [x, scannedTotals], outputs: [out], uniforms, workgroups, label });
  ctx.releaseTemp(scannedTotals);
}

for (const op of ['sum', 'prod', 'max', 'min'] as const) {
  const name = `cum${op}`;
  registerGpuKernel(name, (ctx, [x], params: Params, [out]) => {
    const result = ctx.allocateFor(out);
    if (out.size === 0) return [result];
    const axis = params.axis as number;
    const shape = x.aval.shape;
    const n = shape[axis];
    const inner = sizeOf(shape.slice(axis + 1));
    scanInto(ctx, op, x.aval.dtype, x.buffer, result, { lines: out.size / n, n, inner, reverse: !!params.reverse }, true, name);
    return [result];
  });
}
