// The scheduler: which equations run together in one kernel.
//
// Equations are visited last to first (consumers before producers), and each fusible one
// (elementwise, view, iota) is placed next to its consumers:
//   - all its consumers are in one fused group, and nothing else reads it: it joins that group and
//     is never stored (computed in registers where the consumer needs it; through a broadcast it is
//     recomputed per element, as tinygrad does);
//   - otherwise its value must be stored. If all its consumers are elementwise groups of its size
//     that do not depend on each other, they are merged into one group with it (sibling fusion);
//     else it joins one consumer group as an extra output (multi-output fusion), provided no other
//     consumer of it feeds that group (which would be a cycle); else it starts a group of its own.
// Every such decision adds edges between kernels, so each is checked against reachability in the
// graph of kernels (`reaches`), where a path may enter a kernel at one member and leave at another.
// A reduction starts a reduce group, unless all its consumers form one elementwise group over the
// reduction's output: that group becomes its epilogue. Producers that join a reduce group either
// feed the reduction (its prologue, evaluated at the operand's index) or the epilogue (evaluated
// at the output's index). Library kernels (dot_general, gather, sort, …) and host equations are
// groups of one.
//
// A stored value must be computed at the group's own index ("identity" access): its size is the
// group's iteration size and every path from it to the group's stores keeps the linear index.

import type { Var } from '../../../core/jaxpr.js';
import { Literal } from '../../../core/jaxpr.js';
import type { Program, ProgramEqn } from './program.js';

export type GroupKind = 'elementwise' | 'reduce' | 'library' | 'host';

export interface Group {
  id: number;
  kind: GroupKind;
  /** Program equation indices, ascending. */
  eqns: number[];
  /** The reduction of a reduce group. */
  reduce: number | null;
  /** Iteration size: the elements of an elementwise group; the reduction operand's elements. */
  size: number;
  /** Elements of the group's output index space (= size for elementwise groups). */
  outSize: number;
  /** Values computed here and needed elsewhere (or program outputs), in equation order. */
  stores: Var[];
  /** Values read from buffers, in first-use order. */
  inputs: Var[];
}

export interface ScheduleOptions {
  /** Storage buffers one shader may bind (device limit); fusion stops before exceeding it. */
  maxBindings: number;
  /** Turn fusion off (every equation its own kernel) — for comparisons in tests and benchmarks. */
  fuse?: boolean;
}

type Region = 'pro' | 'epi';

class Scheduler {
  private readonly groupOf: (Group | undefined)[];
  private readonly producer = new Map<Var, number>();
  private readonly consumers = new Map<Var, number[]>();
  private readonly outputs: Set<Var>;
  private readonly groups: Group[] = [];

  constructor(private readonly prog: Program, private readonly opts: ScheduleOptions) {
    this.groupOf = new Array(prog.eqns.length);
    prog.eqns.forEach((e, i) => {
      e.outBinders.forEach((v) => this.producer.set(v, i));
      for (const a of e.inputs) {
        if (a instanceof Literal) continue;
        const list = this.consumers.get(a) ?? [];
        if (!list.includes(i)) list.push(i);
        this.consumers.set(a, list);
      }
    });
    this.outputs = new Set(prog.outvars.filter((a): a is Var => !(a instanceof Literal)));
  }

  run(): Group[] {
    const eqns = this.prog.eqns;
    for (let i = eqns.length - 1; i >= 0; i--) {
      const e = eqns[i];
      if (this.opts.fuse === false) { this.alone(i); continue; }
      switch (e.kind) {
        case 'host': case 'library': this.newGroup(e.kind, i); break;
        case 'reduce': this.placeReduce(i); break;
        default: this.placeFusible(i);
      }
    }
    return this.finish();
  }

  // ---- placement ---------------------------------------------------------------------------------

  private alone(i: number): void {
    const e = this.prog.eqns[i];
    const kind: GroupKind = e.kind === 'host' || e.kind === 'library' ? e.kind : e.kind === 'reduce' ? 'reduce' : 'elementwise';
    const g = this.newGroup(kind, i);
    if (kind === 'reduce') g.reduce = i;
  }

  private newGroup(kind: GroupKind, i: number): Group {
    const e = this.prog.eqns[i];
    const size = e.kind === 'reduce' ? e.inputs[0].aval.size : e.outBinders[0]?.aval.size ?? 0;
    const outSize = e.outBinders[0]?.aval.size ?? 0;
    const g: Group = { id: this.groups.length, kind, eqns: [i], reduce: kind === 'reduce' ? i : null, size, outSize, stores: [], inputs: [] };
    this.groups.push(g);
    this.groupOf[i] = g;
    return g;
  }

  private join(g: Group, i: number): void {
    g.eqns.push(i);
    this.groupOf[i] = g;
  }

  private placeReduce(i: number): void {
    const e = this.prog.eqns[i];
    const v = e.outBinders[0];
    const cgs = this.consumerGroups(v);
    const fusibleConsumers = cgs.filter((g) => g.kind === 'elementwise');
    // Epilogue fusion: the consumers form one elementwise group over the reduction's output.
    if (fusibleConsumers.length === 1) {
      const g = fusibleConsumers[0];
      const others = cgs.filter((h) => h !== g);
      const ok = g.size === v.aval.size && this.identity(g, v, 'epi') && others.every((h) => !this.reaches(h, g)) &&
        this.fitsBindings(g, i);
      if (ok) {
        this.join(g, i);
        g.kind = 'reduce';
        g.reduce = i;
        g.outSize = g.size;
        g.size = e.inputs[0].aval.size;
        return;
      }
    }
    this.newGroup('reduce', i);
  }

  private placeFusible(i: number): void {
    const e = this.prog.eqns[i];
    const v = e.outBinders[0];
    const cgs = this.consumerGroups(v);
    const external = this.outputs.has(v) || cgs.some((g) => g.kind === 'library' || g.kind === 'host');
    const fusible = cgs.filter((g) => g.kind === 'elementwise' || g.kind === 'reduce');
    if (!external && cgs.length === 1 && fusible.length === 1 && this.fitsBindings(fusible[0], i)) {
      this.join(fusible[0], i);
      return;
    }
    // v must be stored. Sibling fusion: merge independent elementwise consumers of v's size.
    const siblings = fusible.length >= 2 && fusible.every((g) => g.kind === 'elementwise' && g.size === v.aval.size) &&
      (!external || fusible.every((g) => this.identity(g, v, 'epi'))) &&
      fusible.every((g, a) => fusible.every((h, b) => a === b || !this.reaches(g, h))) &&
      // A library or host consumer of v that feeds one of them would make a cycle once v is stored there.
      cgs.every((h) => fusible.includes(h) || fusible.every((g) => !this.reaches(h, g)));
    if (siblings) {
      const [first, ...rest] = fusible;
      if (this.bindingsOf({ ...first, eqns: [...first.eqns, ...rest.flatMap((g) => g.eqns), i] }) <= this.opts.maxBindings) {
        for (const g of rest) {
          for (const j of g.eqns) this.join(first, j);
          g.eqns = [];
        }
        this.join(first, i);
        return;
      }
    }
    // Multi-output fusion: compute v in one consumer group and store it there.
    for (const g of fusible) {
      const others = cgs.filter((h) => h !== g);
      if (!others.every((h) => !this.reaches(h, g))) continue;
      const region = this.regionOfUses(g, v);
      if (region === null) continue;
      const size = region === 'pro' ? g.size : g.outSize;
      if (v.aval.size !== size || !this.identity(g, v, region) || !this.fitsBindings(g, i)) continue;
      this.join(g, i);
      return;
    }
    this.newGroup('elementwise', i);
  }

  // ---- analyses ----------------------------------------------------------------------------------

  private consumerGroups(v: Var): Group[] {
    const out: Group[] = [];
    for (const c of this.consumers.get(v) ?? []) {
      const g = this.groupOf[c];
      if (g && !out.includes(g)) out.push(g);
    }
    return out;
  }

  /**
   * Where a reduce group's members are evaluated: before the reduction (operand index) or after.
   * Memoized: a member's consumers are placed before it, so its region never changes.
   */
  private regionOf(g: Group, j: number): Region | 'red' {
    if (g.reduce === null) return 'epi';
    if (j === g.reduce) return 'red';
    const key = `${g.id}:${j}`;
    const known = this.regions.get(key);
    if (known) return known;
    const r = this.computeRegion(g, j);
    this.regions.set(key, r);
    return r;
  }
  private readonly regions = new Map<string, Region>();

  private computeRegion(g: Group, j: number): Region {
    // A member feeding the reduction (through members) is in the prologue.
    const e = this.prog.eqns[j];
    for (const c of this.consumers.get(e.outBinders[0]) ?? []) {
      if (this.groupOf[c] !== g) continue;
      const r = this.regionOf(g, c);
      if (r === 'red' || r === 'pro') return 'pro';
    }
    return 'epi';
  }

  /** The region in which `v`'s consumers in `g` use it, or null when both. */
  private regionOfUses(g: Group, v: Var): Region | null {
    const regions = new Set<Region>();
    for (const c of this.consumers.get(v) ?? []) {
      if (this.groupOf[c] !== g) continue;
      const r = this.regionOf(g, c);
      regions.add(r === 'red' ? 'pro' : r);
    }
    if (regions.size !== 1) return regions.size === 0 ? 'epi' : null;
    return [...regions][0];
  }

  /** Whether `v` is evaluated at the group's own index by every consumer of it in `g` (in `region`). */
  private identity(g: Group, v: Var, region: Region): boolean {
    // Memoized per group membership size: adding producers never changes how consumers read v.
    const key = `${g.id}:${g.eqns.length}:${region}`;
    let memo = this.identities.get(v);
    if (!memo) this.identities.set(v, (memo = new Map()));
    const known = memo.get(key);
    if (known !== undefined) return known;
    const r = this.computeIdentity(g, v, region);
    memo.set(key, r);
    return r;
  }
  private readonly identities = new Map<Var, Map<string, boolean>>();

  private computeIdentity(g: Group, v: Var, region: Region): boolean {
    const size = region === 'pro' ? g.size : g.outSize;
    if (v.aval.size !== size) return false;
    for (const c of this.consumers.get(v) ?? []) {
      if (this.groupOf[c] !== g) continue;
      if (c === g.reduce) { if (region !== 'pro') return false; continue; }
      const r = this.regionOf(g, c);
      if (r !== region) return false;
      const out = this.prog.eqns[c].outBinders[0];
      if (out.aval.size !== v.aval.size || !this.identity(g, out, region)) return false;
    }
    return true;
  }

  /**
   * Whether kernel `from` feeds kernel `to`, directly or through other kernels. The walk is over
   * kernels, not equations: a kernel runs as a whole, so a path that enters it at one member leaves
   * from every member — also from members the entering one does not feed (a side output stored by
   * multi-output fusion, a merged sibling, an epilogue). Following equation edges alone misses such
   * paths, and a merge it allowed became a cycle of kernels (jit(hessian(h)) did).
   */
  private reaches(from: Group, to: Group): boolean {
    const seen = new Set<Group>([from]);
    const stack = [from];
    while (stack.length) {
      const g = stack.pop()!;
      for (const j of g.eqns) {
        for (const v of this.prog.eqns[j].outBinders) {
          for (const c of this.consumers.get(v) ?? []) {
            // Consumers come after their producers, so every one of them is placed already.
            const h = this.groupOf[c]!;
            if (h === to) return true;
            if (!seen.has(h)) { seen.add(h); stack.push(h); }
          }
        }
      }
    }
    return false;
  }

  private fitsBindings(g: Group, i: number): boolean {
    return this.bindingsOf({ ...g, eqns: [...g.eqns, i] }) <= this.opts.maxBindings;
  }

  /** Storage buffers a group would bind: its inputs and stores (and a partials buffer for a reduction). */
  private bindingsOf(g: Group): number {
    const members = new Set(g.eqns);
    const { inputs, stores } = this.boundary(members);
    return inputs.length + stores.length + (g.reduce !== null || g.eqns.some((j) => this.prog.eqns[j].kind === 'reduce') ? 1 : 0);
  }

  private boundary(members: Set<number>): { inputs: Var[]; stores: Var[] } {
    const inputs: Var[] = [];
    const stores: Var[] = [];
    const sorted = [...members].sort((a, b) => a - b);
    for (const j of sorted) {
      const e = this.prog.eqns[j];
      for (const a of e.inputs) {
        if (a instanceof Literal || inputs.includes(a)) continue;
        const p = this.producer.get(a);
        if (p === undefined || !members.has(p)) inputs.push(a);
      }
    }
    for (const j of sorted) {
      for (const v of this.prog.eqns[j].outBinders) {
        const readOutside = (this.consumers.get(v) ?? []).some((c) => !members.has(c));
        if (readOutside || this.outputs.has(v)) stores.push(v);
      }
    }
    return { inputs, stores };
  }

  // ---- result ------------------------------------------------------------------------------------

  /** Groups in an order that respects their dependencies (earliest equation first among ready ones). */
  private finish(): Group[] {
    const live = this.groups.filter((g) => g.eqns.length > 0);
    for (const g of live) {
      g.eqns.sort((a, b) => a - b);
      const b = this.boundary(new Set(g.eqns));
      g.inputs = b.inputs;
      g.stores = b.stores;
    }
    const deps = new Map<Group, Set<Group>>();
    for (const g of live) {
      const d = new Set<Group>();
      for (const v of g.inputs) {
        const p = this.producer.get(v);
        if (p !== undefined && this.groupOf[p] !== g) d.add(this.groupOf[p]!);
      }
      deps.set(g, d);
    }
    const ordered: Group[] = [];
    const done = new Set<Group>();
    while (ordered.length < live.length) {
      const ready = live.filter((g) => !done.has(g) && [...deps.get(g)!].every((d) => done.has(d)));
      if (ready.length === 0) throw new Error('Tracelens internal error: the jit scheduler made a cycle of kernels.');
      ready.sort((a, b) => a.eqns[0] - b.eqns[0]);
      done.add(ready[0]);
      ordered.push(ready[0]);
    }
    ordered.forEach((g, k) => { g.id = k; });
    return ordered;
  }
}

export function schedule(prog: Program, opts: ScheduleOptions): Group[] {
  return new Scheduler(prog, opts).run();
}

/** The program equations of a group, for lowering. */
export const groupEqns = (prog: Program, g: Group): ProgramEqn[] => g.eqns.map((j) => prog.eqns[j]);
