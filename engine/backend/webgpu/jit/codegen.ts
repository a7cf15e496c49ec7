// Codegen: the kernel IR of ./kernel_ir.ts → WGSL compute shaders, one per dispatch ("pass").
//
// Numerics follow the eager kernels exactly:
//   - each node applies its primitive's own `elementwise.wgsl` formula, in the compute type;
//   - a float16 node is rounded to f16 (tl_round_f16), as storing it would round it;
//   - a float node read by another node goes through `tl_opaque`, an identity the compiler cannot
//     see through: lavapipe's LLVM otherwise contracts a·b + c into an fma and folds (1 + x) - 1 to
//     x across what were separate kernels, giving results the eager kernels do not;
//   - reductions fold in kernels/reduce.ts's order: at most SERIAL_MAX elements per output folded by
//     one invocation, else CHUNK-element chunks (PER_THREAD per invocation, then a workgroup tree),
//     partials reduced again the same way until one per output is left; long contiguous rows fold
//     as its strip passes (four accumulators per invocation where it loads vec4s, then one tree).
// Shapes are baked into the source (jit specializes on them), except the element count of an
// elementwise kernel, which is a uniform: a chain with no broadcasting compiles once for all sizes.
// Elementwise kernels whose buffers are all read and written at the kernel's own index move vec4s
// (four lanes of scalar formulas per invocation): on lavapipe memory access, not arithmetic, is
// what a fused chain costs, and vec4 access is as fast as a plain copy kernel.

import type { DType } from '../../../core/dtype.js';
import type { ElementwiseContext } from '../../../core/primitive.js';
import { wgslHelperSource } from '../../../lax/primitives/wgsl_helpers.js';
import { computeType, enableF16, loadExpr, storageType, storeExpr } from '../dtype_wgsl.js';
import { GRID_BUILTINS, WORKGROUP_INDEX, kernelType, monoid } from '../kernels/wgsl_lib.js';
import { STRIP_UNITS, STRIP_WG, isLongRow, rowLoadWidth } from '../kernels/reduce.js';
import { type Idx, render } from './index_expr.js';
import type { Block, BufferDecl, ElementwiseKernel, FusedKernel, Node, ReduceKernel } from './kernel_ir.js';

/** Mirrors kernels/reduce.ts (same fold order, so fused and eager reductions round alike). */
export const REDUCE_WG = 64;
export const REDUCE_PER_THREAD = 64;
export const REDUCE_CHUNK = REDUCE_WG * REDUCE_PER_THREAD;
export const REDUCE_SERIAL_MAX = 64;
/**
 * Elementwise kernels: `perThread` elements per invocation, consecutive invocations on consecutive
 * elements. Software adapters pay per invocation: on lavapipe a 4M-element f32 copy takes 69 ms
 * one element per invocation and 21 ms with 8 (as fast as vec4 loads). `barriers: false` drops the
 * tl_opaque barriers (faster, but fused results may then differ from eager ones in the last bit).
 * Mutable so benchmarks can compare settings.
 */
export const ELEMENTWISE_TUNING = { workgroupSize: 256, perThread: 8, vectorize: true, vectorsPerThread: 4, barriers: true };

export type BindingRef = { kind: 'input' | 'output' | 'temp'; index: number };

/** One dispatch of a fused kernel. */
export interface PassSpec {
  label: string;
  code: string;
  /** Read-only bindings, then read-write bindings (then the uniform block, if any). */
  reads: BindingRef[];
  writes: BindingRef[];
  uniforms: Uint32Array | null;
  /** Invocations (elementwise, serial reduce) or workgroups × size (tree reduce) to cover. */
  threads: number;
  workgroupSize: number;
}

export interface CompiledKernel {
  kind: 'elementwise' | 'reduce';
  passes: PassSpec[];
  /** Temporary buffers (partial sums), bytes each. */
  temps: number[];
}

// ---- values ------------------------------------------------------------------------------------

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** A WGSL constant of a dtype's compute type, exact (special floats through helpers). */
export function constantExpr(value: number | boolean, dtype: DType, need: (h: string) => void): string {
  const v = typeof value === 'boolean' ? +value : value;
  switch (computeType(dtype)) {
    case 'bool': return v ? 'true' : 'false';
    case 'u32': return `${v >>> 0}u`;
    case 'i32': return (v | 0) === -2147483648 ? 'bitcast<i32>(0x80000000u)' : `${v | 0}i`;
    default: {
      const x = Math.fround(v);
      if (Number.isNaN(x)) { need('tl_nan'); return 'tl_nan()'; }
      if (!Number.isFinite(x)) { need('tl_inf'); return x > 0 ? 'tl_inf()' : '(-tl_inf())'; }
      if (Object.is(x, -0)) return 'f32(-0.0)';
      if (x !== 0 && Math.abs(x) < 1.1754943508222875e-38) {
        F32[0] = x;
        return `bitcast<f32>(0x${U32[0].toString(16).padStart(8, '0')}u)`;
      }
      const s = String(x);
      return `f32(${/[.e]/.test(s) ? s : `${s}.0`})`;
    }
  }
}

interface RenderEnv {
  hasF16: boolean;
  prefix: string;
  /** WGSL of the reduced value, converted to the result dtype's compute type. */
  acc?: string;
  need(h: string): void;
  useInput(k: number): string;
  /** Overrides how a load node reads (vectorized kernels read lanes of a vec4 loaded once). */
  load?(n: Extract<Node, { op: 'load' }>): string;
}

const isFloatDtype = (d: DType) => d === 'float32' || d === 'float16';

/** Nodes read by other nodes (these need the tl_opaque barrier when they are float alu results). */
function readCounts(block: Block, extra: number[] = []): number[] {
  const reads = new Array(block.nodes.length).fill(0);
  for (const n of block.nodes) if (n.op === 'alu') for (const a of n.args) reads[a]++;
  for (const e of extra) reads[e]++;
  return reads;
}

function renderNode(nodes: readonly Node[], id: number, env: RenderEnv, barrier: boolean, name: (i: number) => string): string {
  const n = nodes[id];
  const ct = computeType(n.dtype);
  let e: string;
  switch (n.op) {
    case 'load': e = env.load ? env.load(n) : loadExpr(n.dtype, env.hasF16, `${env.useInput(n.input)}[${render(n.index)}]`); break;
    case 'const': e = constantExpr(n.value, n.dtype, env.need); break;
    case 'coord': e = ct === 'u32' ? render(n.index) : `${ct}(${render(n.index)})`; break;
    case 'acc': e = env.acc!; break;
    case 'alu': {
      const rule = n.prim.elementwise!;
      const ctx: ElementwiseContext = { inDtypes: n.args.map((a) => nodes[a].dtype), outDtype: n.dtype, params: n.params };
      for (const h of rule.wgslHelpers?.(ctx) ?? []) env.need(h);
      e = rule.wgsl(ctx, ...n.args.map(name));
      break;
    }
  }
  if (n.dtype === 'float16' && n.op !== 'load' && n.op !== 'acc') { env.need('tl_round_f16'); e = `tl_round_f16(${e})`; }
  else if (barrier && ELEMENTWISE_TUNING.barriers && n.op === 'alu' && isFloatDtype(n.dtype)) { env.need('tl_opaque'); e = `tl_opaque(${e})`; }
  return `let ${name(id)}: ${ct} = ${e};`;
}

/** A block's node lets and stores; `extraReads` are nodes read outside the block (the folded value). */
function renderBlock(block: Block, outputs: readonly BufferDecl[], env: RenderEnv, outputName: (k: number) => string, extraReads: number[] = []): string[] {
  const reads = readCounts(block, extraReads);
  const name = (i: number) => `${env.prefix}${i}`;
  const lines = block.nodes.map((_, i) => renderNode(block.nodes, i, env, reads[i] > 0, name));
  for (const s of block.stores) {
    const out = outputs[s.output].dtype;
    if (out === 'float16') env.need('tl_round_f16');
    lines.push(`${outputName(s.output)}[${render(s.index)}] = ${storeExpr(out, env.hasF16, name(s.node))};`);
  }
  return lines;
}

// ---- shaders -----------------------------------------------------------------------------------

/** Collects bindings and helpers while a shader body is rendered. */
class ShaderBuilder {
  readonly reads: BindingRef[] = [];
  readonly writes: BindingRef[] = [];
  private readonly decls: string[] = [];
  private readonly helpers = new Set<string>();
  private readonly dtypes: DType[] = [];
  constructor(readonly hasF16: boolean) {}

  bindRead(ref: BindingRef, name: string, element: string, dtype?: DType): string {
    if (!this.reads.some((r) => r.kind === ref.kind && r.index === ref.index)) {
      this.reads.push(ref);
      this.decls.push(`@group(0) @binding(BINDING) var<storage, read> ${name}: array<${element}>;`);
      if (dtype) this.dtypes.push(dtype);
    }
    return name;
  }
  bindWrite(ref: BindingRef, name: string, element: string, dtype?: DType): string {
    this.writes.push(ref);
    this.decls.push(`@group(0) @binding(BINDING) var<storage, read_write> ${name}: array<${element}>;`);
    if (dtype) this.dtypes.push(dtype);
    return name;
  }
  need = (h: string): void => { this.helpers.add(h); };

  /** The shader: enables, bindings (reads, writes, uniform), helpers, then `body`. */
  build(uniform: string | null, body: string): string {
    // Reads were declared as they were met; bindings must be numbered reads first, then writes.
    const readDecls = this.decls.filter((d) => d.includes('var<storage, read>'));
    const writeDecls = this.decls.filter((d) => d.includes('var<storage, read_write>'));
    let b = 0;
    const numbered = [...readDecls, ...writeDecls].map((d) => d.replace('BINDING', String(b++)));
    if (uniform) numbered.push(`@group(0) @binding(${b}) ${uniform}`);
    return `${enableF16(this.dtypes, this.hasF16)}${numbered.join('\n')}\n${wgslHelperSource(this.helpers)}\n${body}`;
  }
}

const LANES = 4;
const isIdentity = (i: Idx) => i.k === 'var';
const isZero = (i: Idx) => i.k === 'const' && i.value === 0;

/**
 * Whether an elementwise kernel can move vec4s: every buffer 32-bit, every input read either at
 * the kernel's index or (a scalar) at 0, every store at the kernel's index, no coordinates needed,
 * and a size that is a multiple of 4. Memory access is then as fast as a vec4 copy; the formulas
 * still run on scalars, four lanes per invocation.
 */
function vectorizable(k: ElementwiseKernel, hasF16: boolean): boolean {
  if (k.size % LANES !== 0) return false;
  if ([...k.inputs, ...k.outputs].some((b) => storageType(b.dtype, hasF16) === 'f16')) return false;
  const mode = new Map<number, 'vector' | 'scalar'>();
  for (const n of k.body.nodes) {
    if (n.op === 'coord') return false;
    if (n.op !== 'load') continue;
    const m = isIdentity(n.index) ? 'vector' : isZero(n.index) && k.inputs[n.input].size === 1 ? 'scalar' : null;
    if (m === null || (mode.has(n.input) && mode.get(n.input) !== m)) return false;
    mode.set(n.input, m);
  }
  return k.body.stores.every((st) => isIdentity(st.index));
}

function vectorShader(k: ElementwiseKernel, hasF16: boolean): PassSpec {
  const sb = new ShaderBuilder(hasF16);
  const vectorInputs = new Set(k.body.nodes.flatMap((n) => (n.op === 'load' && isIdentity(n.index) ? [n.input] : [])));
  const pre: string[] = [];
  const inputName = (i: number) => {
    const st = storageType(k.inputs[i].dtype, hasF16);
    const vec = vectorInputs.has(i);
    const name = sb.bindRead({ kind: 'input', index: i }, `in${i}`, vec ? `vec4<${st}>` : st, k.inputs[i].dtype);
    if (vec && !pre.some((l) => l.startsWith(`let q${i} `))) pre.push(`let q${i} = ${name}[j];`);
    return name;
  };
  const lanes = [...Array(LANES).keys()].map((l) => {
    const env: RenderEnv = {
      hasF16, prefix: `v${l}_`, need: sb.need, useInput: inputName,
      load: (n) => {
        const name = inputName(n.input);
        return loadExpr(n.dtype, hasF16, vectorInputs.has(n.input) ? `q${n.input}[${l}]` : `${name}[0]`);
      },
    };
    // Stores are gathered below into one vec4 store per output.
    return renderBlock({ nodes: k.body.nodes, stores: [] }, k.outputs, env, () => '');
  });
  const stores = k.body.stores.map((st) => {
    const out = k.outputs[st.output];
    if (out.dtype === 'float16') sb.need('tl_round_f16');
    const lanesOut = [...Array(LANES).keys()].map((l) => storeExpr(out.dtype, hasF16, `v${l}_${st.node}`));
    return `out${st.output}[j] = vec4<${storageType(out.dtype, hasF16)}>(${lanesOut.join(', ')});`;
  });
  k.outputs.forEach((o, i) => sb.bindWrite({ kind: 'output', index: i }, `out${i}`, `vec4<${storageType(o.dtype, hasF16)}>`, o.dtype));
  const { workgroupSize: W, vectorsPerThread: P } = ELEMENTWISE_TUNING;
  const body = `@compute @workgroup_size(${W})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  for (var k = 0u; k < ${P}u; k++) {
    let j = (wg * ${P}u + k) * ${W}u + lid;
    if (j >= u.x) { return; }
${[...pre, ...lanes.flat(), ...stores].map((l) => `    ${l}`).join('\n')}
  }
}
`;
  const n4 = k.size / LANES;
  return {
    label: 'fused elementwise (vec4)', code: sb.build('var<uniform> u: vec4<u32>;', body),
    reads: sb.reads, writes: sb.writes, uniforms: new Uint32Array([n4, 0, 0, 0]), threads: Math.ceil(n4 / P), workgroupSize: W,
  };
}

function elementwiseShader(k: ElementwiseKernel, hasF16: boolean): PassSpec {
  if (ELEMENTWISE_TUNING.vectorize && vectorizable(k, hasF16)) return vectorShader(k, hasF16);
  const sb = new ShaderBuilder(hasF16);
  // Inputs are bound in first-use order; outputs after.
  const env: RenderEnv = {
    hasF16, prefix: 'v', need: sb.need,
    useInput: (i) => sb.bindRead({ kind: 'input', index: i }, `in${i}`, storageType(k.inputs[i].dtype, hasF16), k.inputs[i].dtype),
  };
  const lines = renderBlock(k.body, k.outputs, env, (o) => `out${o}`);
  k.outputs.forEach((o, i) => sb.bindWrite({ kind: 'output', index: i }, `out${i}`, storageType(o.dtype, hasF16), o.dtype));
  const { workgroupSize: W, perThread: P } = ELEMENTWISE_TUNING;
  const body = `@compute @workgroup_size(${W})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  for (var k = 0u; k < ${P}u; k++) {
    let i = (wg * ${P}u + k) * ${W}u + lid;
    if (i >= u.x) { return; }
${lines.map((l) => `    ${l}`).join('\n')}
  }
}
`;
  return {
    label: 'fused elementwise', code: sb.build('var<uniform> u: vec4<u32>;', body),
    reads: sb.reads, writes: sb.writes, uniforms: new Uint32Array([k.size, 0, 0, 0]), threads: Math.ceil(k.size / P), workgroupSize: W,
  };
}

/** How a value of `dtype`'s compute type enters the accumulator (kernel type). */
const toKernel = (dtype: DType, e: string) => (dtype === 'bool' ? `select(0u, 1u, ${e})` : e);
/** The accumulator (kernel type) as a value of the result dtype's compute type, as a store then load would give. */
function fromKernel(dtype: DType, e: string, need: (h: string) => void): string {
  if (dtype === 'bool') return `(${e} != 0u)`;
  if (dtype === 'float16') { need('tl_round_f16'); return `tl_round_f16(${e})`; }
  return e;
}

interface ReducePass { first: boolean; final: boolean; serial: boolean; R: number; chunks: number; inChunks: number }

function reduceShader(k: ReduceKernel, p: ReducePass, hasF16: boolean, partialIn: number, partialOut: number): PassSpec {
  const sb = new ShaderBuilder(hasF16);
  const m = monoid(k.op, k.dtype);
  m.helpers.forEach(sb.need);
  const t = kernelType(k.dtype);
  const inputRef = (i: number) => sb.bindRead({ kind: 'input', index: i }, `in${i}`, storageType(k.inputs[i].dtype, hasF16), k.inputs[i].dtype);

  // The value folded for element (o, r): the prologue (first pass) or a partial (later passes).
  let loop: string[];
  if (p.first) {
    const env: RenderEnv = { hasF16, prefix: 'p', need: sb.need, useInput: inputRef };
    const lines = renderBlock(k.prologue, k.outputs, env, (o) => sb.bindWrite({ kind: 'output', index: o }, `out${o}`, storageType(k.outputs[o].dtype, hasF16), k.outputs[o].dtype), [k.prologue.value]);
    // The folded value counts as read (extraReads above), so a float result is already behind tl_opaque.
    const v = k.prologue.nodes[k.prologue.value];
    loop = [...lines, `acc = ${m.combine('acc', toKernel(v.dtype, `p${k.prologue.value}`))};`];
  } else {
    const partials = sb.bindRead({ kind: 'temp', index: partialIn }, 'partials', t);
    loop = [`acc = ${m.combine('acc', `${partials}[o * ${p.inChunks}u + r]`)};`];
  }
  // What a finished output does: the epilogue (final pass) or store a partial.
  let finish: string[];
  if (p.final) {
    const env: RenderEnv = { hasF16, prefix: 'e', need: sb.need, useInput: inputRef, acc: '' };
    env.acc = fromKernel(k.outDtype, 'acc', sb.need);
    finish = renderBlock(k.epilogue, k.outputs, env, (o) => sb.bindWrite({ kind: 'output', index: o }, `out${o}`, storageType(k.outputs[o].dtype, hasF16), k.outputs[o].dtype));
  } else {
    finish = [`${sb.bindWrite({ kind: 'temp', index: partialOut }, 'partials_out', t)}[o * ${p.chunks}u + chunk] = acc;`];
  }
  const xIndex = p.first ? `  // operand element: ${render(k.operandIndex)}\n` : '';
  let body: string;
  if (p.serial) {
    body = `@compute @workgroup_size(${REDUCE_WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  let o = wg * ${REDUCE_WG}u + lid;
  if (o >= ${k.nOut}u) { return; }
${xIndex}  var acc: ${t} = ${m.identity};
  for (var r = 0u; r < ${p.R}u; r++) {
${indent(loop, 4)}
  }
${indent(finish, 2)}
}
`;
  } else {
    body = `var<workgroup> partial: array<${t}, ${REDUCE_WG}>;
@compute @workgroup_size(${REDUCE_WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  if (wg >= ${k.nOut * p.chunks}u) { return; }
  let o = wg / ${p.chunks}u;
  let chunk = wg % ${p.chunks}u;
  let start = chunk * ${REDUCE_CHUNK}u;
  let end = min(start + ${REDUCE_CHUNK}u, ${p.R}u);
${xIndex}  var acc: ${t} = ${m.identity};
  for (var r = start + lid; r < end; r += ${REDUCE_WG}u) {
${indent(loop, 4)}
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = ${REDUCE_WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] = ${m.combine('partial[lid]', 'partial[lid + s]')}; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    acc = partial[0];
${indent(finish, 4)}
  }
}
`;
  }
  const label = `fused reduce_${k.op}${p.first ? '' : ' (partials)'}`;
  return {
    label, code: sb.build(null, body), reads: sb.reads, writes: sb.writes, uniforms: null,
    threads: p.serial ? k.nOut : k.nOut * p.chunks * REDUCE_WG, workgroupSize: REDUCE_WG,
  };
}

const indent = (ls: string[], n: number) => ls.map((l) => `${' '.repeat(n)}${l}`).join('\n');

/**
 * One pass of a long-row reduction, in kernels/reduce.ts's order (see its rowShader): workgroup wg
 * folds loads [c·span, min((c+1)·span, units)) of row o = wg / chunks, a load being `width`
 * consecutive elements, each folded into its own accumulator. A strip pass stores one partial per
 * invocation; the final pass (chunks = 1) folds them with a tree and runs the epilogue.
 */
interface RowPass { first: boolean; final: boolean; width: 1 | 4; units: number; chunks: number; span: number }

function rowReduceShader(k: ReduceKernel, p: RowPass, hasF16: boolean, partialIn: number, partialOut: number): PassSpec {
  const sb = new ShaderBuilder(hasF16);
  const m = monoid(k.op, k.dtype);
  m.helpers.forEach(sb.need);
  const t = kernelType(k.dtype);
  const inputRef = (i: number) => sb.bindRead({ kind: 'input', index: i }, `in${i}`, storageType(k.inputs[i].dtype, hasF16), k.inputs[i].dtype);
  const outputRef = (o: number) => sb.bindWrite({ kind: 'output', index: o }, `out${o}`, storageType(k.outputs[o].dtype, hasF16), k.outputs[o].dtype);
  const lanes = [...Array(p.width).keys()];
  // Element r = i·width + lane of row o: the prologue's value (first pass) or a partial.
  let fold: string[];
  if (p.first) {
    const env: RenderEnv = { hasF16, prefix: 'p', need: sb.need, useInput: inputRef };
    const lines = renderBlock(k.prologue, k.outputs, env, outputRef, [k.prologue.value]);
    const v = k.prologue.nodes[k.prologue.value];
    fold = lanes.map((l) => `{
      let r = i * ${p.width}u + ${l}u;
${indent(lines, 6)}
      a${l} = ${m.combine(`a${l}`, toKernel(v.dtype, `p${k.prologue.value}`))};
    }`);
  } else {
    const partials = sb.bindRead({ kind: 'temp', index: partialIn }, 'partials', t);
    fold = lanes.map((l) => `a${l} = ${m.combine(`a${l}`, `${partials}[(o * ${p.units}u + i) * ${p.width}u + ${l}u]`)};`);
  }
  const folded = p.width === 4 ? m.combine(m.combine('a0', 'a1'), m.combine('a2', 'a3')) : 'a0';
  let finish: string;
  if (p.final) {
    const env: RenderEnv = { hasF16, prefix: 'e', need: sb.need, useInput: inputRef, acc: '' };
    env.acc = fromKernel(k.outDtype, 'acc', sb.need);
    const epilogue = renderBlock(k.epilogue, k.outputs, env, outputRef);
    finish = `partial[lid] = ${folded};
  workgroupBarrier();
  for (var s = ${STRIP_WG / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] = ${m.combine('partial[lid]', 'partial[lid + s]')}; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let acc = partial[0];
${indent(epilogue, 4)}
  }`;
  } else {
    finish = `${sb.bindWrite({ kind: 'temp', index: partialOut }, 'partials_out', t)}[wg * ${STRIP_WG}u + lid] = ${folded};`;
  }
  const body = `${p.final ? `var<workgroup> partial: array<${t}, ${STRIP_WG}>;\n` : ''}@compute @workgroup_size(${STRIP_WG})
fn main(${GRID_BUILTINS}) {
  ${WORKGROUP_INDEX}
  if (wg >= ${k.nOut * p.chunks}u) { return; }
  let o = wg / ${p.chunks}u;
  let first = (wg % ${p.chunks}u) * ${p.span}u;
  let end = min(first + ${p.span}u, ${p.units}u);
  ${lanes.map((l) => `var a${l}: ${t} = ${m.identity};`).join(' ')}
  for (var i = first + lid; i < end; i += ${STRIP_WG}u) {
    ${fold.join('\n    ')}
  }
  ${finish}
}
`;
  return {
    label: `fused reduce_${k.op} (rows${p.first ? '' : ', partials'})`, code: sb.build(null, body), reads: sb.reads, writes: sb.writes,
    uniforms: null, threads: k.nOut * p.chunks * STRIP_WG, workgroupSize: STRIP_WG,
  };
}

/** The passes of a long-row reduction: strip passes until a row's partials fit one workgroup, then the final pass. */
function rowPasses(k: ReduceKernel, hasF16: boolean): CompiledKernel {
  const passes: PassSpec[] = [];
  const temps: number[] = [];
  let width = rowLoadWidth(k.dtype, k.R, hasF16);
  let units = k.R / width, first = true;
  for (;;) {
    const final = units <= STRIP_UNITS;
    const chunks = final ? 1 : Math.ceil(units / STRIP_UNITS);
    const partialIn = first ? -1 : temps.length - 1;
    if (!final) temps.push(k.nOut * chunks * STRIP_WG * 4);
    passes.push(rowReduceShader(k, { first, final, width, units, chunks, span: final ? units : STRIP_UNITS }, hasF16, partialIn, final ? -1 : temps.length - 1));
    if (final) return { kind: 'reduce', passes, temps };
    first = false;
    width = 4;
    units = (chunks * STRIP_WG) / 4;
  }
}

/** The passes of a reduce kernel: one serial pass, or tree passes until one partial per output is left. */
function reducePasses(k: ReduceKernel, hasF16: boolean): CompiledKernel {
  if (k.nOut === 0) return { kind: 'reduce', passes: [], temps: [] };
  if (k.rows && isLongRow(k.R)) return rowPasses(k, hasF16);
  if (k.R <= REDUCE_SERIAL_MAX) {
    return { kind: 'reduce', passes: [reduceShader(k, { first: true, final: true, serial: true, R: k.R, chunks: 1, inChunks: 0 }, hasF16, -1, -1)], temps: [] };
  }
  const passes: PassSpec[] = [];
  const temps: number[] = [];
  let R = k.R, first = true, inChunks = 0;
  for (;;) {
    const chunks = Math.ceil(R / REDUCE_CHUNK);
    const final = chunks === 1;
    const partialIn = first ? -1 : temps.length - 1;
    if (!final) temps.push(k.nOut * chunks * 4);
    passes.push(reduceShader(k, { first, final, serial: false, R, chunks, inChunks }, hasF16, partialIn, final ? -1 : temps.length - 1));
    if (final) break;
    R = chunks; inChunks = chunks; first = false;
  }
  return { kind: 'reduce', passes, temps };
}

/** WGSL passes of a fused kernel. */
export function compileKernel(k: FusedKernel, hasF16: boolean): CompiledKernel {
  if (k.kind === 'elementwise') return { kind: 'elementwise', passes: k.size === 0 ? [] : [elementwiseShader(k, hasF16)], temps: [] };
  return reducePasses(k, hasF16);
}
