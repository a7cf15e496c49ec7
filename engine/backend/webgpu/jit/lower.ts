// Lowering: a scheduled group of equations → the kernel IR of ./kernel_ir.ts.
//
// Every value is evaluated "at an access": the linear index (or the coordinates) of the element
// wanted, as symbolic expressions of the kernel's loop variables. Stores ask for their value at the
// kernel's own index; an elementwise operand of a smaller shape, or the operand of a broadcast, is
// asked for at the coordinates it repeats; reshapes keep the linear index. A value produced outside
// the group becomes a load at that index; a literal or host-known scalar constant becomes a
// constant. Values are memoized per (variable, index), so each is computed once per element of
// the kernel and a value asked for at two different indices is computed twice (through a
// broadcast, as tinygrad recomputes).

import type { ArrayBase } from '../../../core/array_base.js';
import { Array as ConcreteArray } from '../../../core/array.js';
import { type Atom, Literal, type Var } from '../../../core/jaxpr.js';
import { sizeOf, stridesOf } from '../../../core/shape.js';
import { add, type Idx, idxVar, mul, ravel, render, unravel, ZERO } from './index_expr.js';
import type { Block, BufferDecl, ElementwiseKernel, FusedKernel, Node, ReduceKernel } from './kernel_ir.js';
import { REDUCE_MONOIDS, type Program } from './program.js';
import type { Group } from './schedule.js';
import { isRows } from '../kernels/reduce.js';

interface Access { shape: readonly number[]; linear?: Idx; coords?: Idx[] }

const linearOf = (a: Access): Idx => a.linear ?? ravel(a.coords!, a.shape);
const coordsOf = (a: Access): Idx[] => a.coords ?? unravel(a.linear!, a.shape);

/** The access of an operand of shape `inShape` broadcast (size-1 dims repeated) to `out`'s shape. */
function broadcastAccess(out: Access, inShape: readonly number[], dimsInOut: (i: number) => number): Access {
  const n = sizeOf(inShape);
  if (n === sizeOf(out.shape)) return { shape: inShape, linear: linearOf(out) };
  if (n === 1) return { shape: inShape, linear: ZERO };
  const coords = coordsOf(out);
  return { shape: inShape, coords: inShape.map((d, i) => (d === 1 ? ZERO : coords[dimsInOut(i)])) };
}

class BlockBuilder implements Block {
  nodes: Node[] = [];
  stores: { output: number; node: number; index: Idx }[] = [];
  private readonly memo = new Map<string, number>();
  lookup(key: string): number | undefined { return this.memo.get(key); }
  emit(key: string | null, node: Node): number {
    if (key !== null) {
      const hit = this.memo.get(key);
      if (hit !== undefined) return hit;
    }
    this.nodes.push(node);
    const id = this.nodes.length - 1;
    if (key !== null) this.memo.set(key, id);
    return id;
  }
}

/** The host value of a size-1 constant known without a readback (inlined as a WGSL constant). */
function hostScalarOf(x: ArrayBase | undefined): number | boolean | null {
  if (!(x instanceof ConcreteArray) || x.size !== 1 || x.isDisposed) return null;
  const host = x.hostCopy;
  if (!host) return null;
  return x.dtype === 'bool' ? host[0] !== 0 : host[0];
}

class Lowering {
  private readonly producer = new Map<Var, number>();
  private readonly varIds = new Map<Var, number>();
  private readonly constValues = new Map<Var, ArrayBase>();
  readonly inputs: Var[] = [];
  readonly inputDecls: BufferDecl[] = [];

  constructor(private readonly prog: Program, private readonly group: Group, private readonly names: (v: Var) => string) {
    for (const j of group.eqns) prog.eqns[j].outBinders.forEach((v) => this.producer.set(v, j));
    for (const c of prog.consts) this.constValues.set(c.v, c.value);
  }

  private idOf(v: Var): number {
    let id = this.varIds.get(v);
    if (id === undefined) { id = this.varIds.size; this.varIds.set(v, id); }
    return id;
  }

  private inputSlot(v: Var): number {
    let k = this.inputs.indexOf(v);
    if (k < 0) {
      k = this.inputs.length;
      this.inputs.push(v);
      this.inputDecls.push({ dtype: v.aval.dtype, size: v.aval.size, name: this.names(v) });
    }
    return k;
  }

  /** The node computing `a` at `acc` in `block`; `acc` is an access of `a`'s shape. */
  valueAt(a: Atom, acc: Access, block: BlockBuilder, accNode: () => number): number {
    if (a instanceof Literal) return block.emit(`lit:${a.aval.dtype}:${String(a.value)}`, { op: 'const', dtype: a.aval.dtype, value: a.value });
    const v = a;
    const key = `${this.idOf(v)}@${render(linearOf(acc))}`;
    const j = this.producer.get(v);
    if (j === undefined) {
      const scalar = hostScalarOf(this.constValues.get(v));
      if (scalar !== null) return block.emit(`lit:${v.aval.dtype}:${String(scalar)}`, { op: 'const', dtype: v.aval.dtype, value: scalar });
      const index = v.aval.size === 1 ? ZERO : linearOf(acc);
      return block.emit(`${this.idOf(v)}@${render(index)}`, { op: 'load', dtype: v.aval.dtype, input: this.inputSlot(v), index });
    }
    const e = this.prog.eqns[j];
    const out = e.outBinders[0].aval;
    switch (e.kind) {
      case 'reduce':
        return accNode();
      case 'iota': {
        const dim = e.params.dimension as number;
        return block.emit(key, { op: 'coord', dtype: out.dtype, index: coordsOf(acc)[dim] });
      }
      case 'view': {
        const [x] = e.inputs;
        let inner: Access;
        if (e.primitive.name === 'broadcast_in_dim') {
          const bd = e.params.broadcast_dimensions as number[];
          inner = broadcastAccess(acc, x.aval.shape, (i) => bd[i]);
        } else {
          inner = { shape: x.aval.shape, linear: linearOf(acc) };
        }
        return this.valueAt(x, inner, block, accNode);
      }
      case 'elementwise': {
        const known = block.lookup(key);
        if (known !== undefined) return known;
        const args = e.inputs.map((x) => this.valueAt(x, broadcastAccess(acc, x.aval.shape, (i) => i), block, accNode));
        return block.emit(key, { op: 'alu', dtype: out.dtype, prim: e.primitive, params: e.params, args });
      }
      default:
        throw new Error(`Tracelens internal error: ${e.primitive.name} cannot be lowered into a fused kernel.`);
    }
  }

  // ---- kernels -----------------------------------------------------------------------------------

  /** Which members feed the reduction (prologue) rather than follow it. */
  private prologueMembers(): Set<number> {
    const pro = new Set<number>();
    const r = this.group.reduce;
    if (r === null) return pro;
    const visit = (a: Atom) => {
      if (a instanceof Literal) return;
      const j = this.producer.get(a);
      if (j === undefined || pro.has(j)) return;
      pro.add(j);
      this.prog.eqns[j].inputs.forEach(visit);
    };
    this.prog.eqns[r].inputs.forEach(visit);
    return pro;
  }

  elementwise(): ElementwiseKernel {
    const g = this.group;
    const block = new BlockBuilder();
    const i = idxVar('i', g.size);
    const outputs: BufferDecl[] = [];
    for (const v of g.stores) {
      const node = this.valueAt(v, { shape: v.aval.shape, linear: i }, block, () => { throw new Error('internal: acc outside a reduction'); });
      block.stores.push({ output: outputs.length, node, index: i });
      outputs.push({ dtype: v.aval.dtype, size: v.aval.size, name: this.names(v) });
    }
    return { kind: 'elementwise', size: g.size, inputs: this.inputDecls, outputs, body: block };
  }

  reduce(): ReduceKernel {
    const g = this.group;
    const r = this.prog.eqns[g.reduce!];
    const operand = r.inputs[0];
    const axes = r.params.axes as number[];
    const outAval = r.outBinders[0].aval;
    const layout = reductionLayout(operand.aval.shape, axes);
    const o = idxVar('o', layout.nOut), rv = idxVar('r', layout.R);
    const operandIndex = add(
      ...unravel(o, layout.keptShape).map((c, k) => mul(c, layout.keptStride[k])),
      ...unravel(rv, layout.redShape).map((c, k) => mul(c, layout.redStride[k])),
    );
    const pro = new BlockBuilder();
    const epi = new BlockBuilder();
    const noAcc = () => { throw new Error('internal: a prologue value depends on its own reduction'); };
    const value = this.valueAt(operand, { shape: operand.aval.shape, linear: operandIndex }, pro, noAcc);
    const accNode = () => epi.emit('acc', { op: 'acc', dtype: outAval.dtype });
    const prologue = this.prologueMembers();
    const outputs: BufferDecl[] = [];
    for (const v of g.stores) {
      const j = this.producer.get(v)!;
      const output = outputs.length;
      outputs.push({ dtype: v.aval.dtype, size: v.aval.size, name: this.names(v) });
      if (prologue.has(j)) {
        const node = this.valueAt(v, { shape: v.aval.shape, linear: operandIndex }, pro, noAcc);
        pro.stores.push({ output, node, index: operandIndex });
      } else {
        const node = this.valueAt(v, { shape: v.aval.shape, linear: o }, epi, accNode);
        epi.stores.push({ output, node, index: o });
      }
    }
    return {
      kind: 'reduce', op: REDUCE_MONOIDS[r.primitive.name], dtype: operand.aval.dtype, outDtype: outAval.dtype,
      nOut: layout.nOut, R: layout.R, operandIndex, rows: isRows(layout), inputs: this.inputDecls, outputs,
      prologue: Object.assign(pro, { value }), epilogue: epi,
    };
  }
}

/**
 * The kept and reduced dims of a reduction operand, consecutive dims of one kind merged (as
 * kernels/reduce.ts collapses them, so that r runs over the reduced elements in the same order).
 */
export function reductionLayout(shape: readonly number[], axes: readonly number[]) {
  const L = { nOut: 1, R: 1, keptShape: [] as number[], keptStride: [] as number[], redShape: [] as number[], redStride: [] as number[] };
  const strides = stridesOf(shape);
  let last: 'kept' | 'red' | null = null;
  shape.forEach((n, i) => {
    const kind = axes.includes(i) ? 'red' : 'kept';
    if (kind === 'red') L.R *= n; else L.nOut *= n;
    if (n === 1) return;
    const [sh, st] = kind === 'red' ? [L.redShape, L.redStride] : [L.keptShape, L.keptStride];
    if (last === kind) { sh[sh.length - 1] *= n; st[st.length - 1] = strides[i]; } else { sh.push(n); st.push(strides[i]); }
    last = kind;
  });
  return L;
}

/** Lowers a fused group (elementwise or reduce) to the kernel IR; returns it with the vars its inputs read. */
export function lowerGroup(prog: Program, group: Group, names: (v: Var) => string): { kernel: FusedKernel; inputs: Var[] } {
  const l = new Lowering(prog, group, names);
  const kernel = group.kind === 'reduce' ? l.reduce() : l.elementwise();
  return { kernel, inputs: l.inputs };
}

