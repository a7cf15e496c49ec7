// Running a compiled plan: every kernel of a call encoded into the backend's command batch, behind
// the eager work before it and submitted with whatever follows, by the end of the current task at
// the latest, so a loop of small jitted calls makes few submissions (a host equation — control
// flow — ends a segment: its work runs between two segments).
//
// What is cached across calls, per executable and device:
//   - pipelines (from the backend's pipeline cache, looked up once per fused pass);
//   - uniform blocks: each dispatch site has a fixed slot in one uniform buffer, written only
//     when its bytes change (never, for a fixed plan, after the first call; see UniformSlots);
//   - bind groups, per dispatch site and set of buffers: the pool hands a call the same buffers
//     as the call before when nothing else allocated in between, so steady-state calls create none.
// Buffers: outputs from the pool (handed to the caller's arrays), intermediates from a call arena
// that reuses a dead value's buffer for a later value of the same pool bucket (see
// ./buffer_plan.ts) and returns everything to the pool after the submission.

import { Array } from '../../../core/array.js';
import type { ShapedArray } from '../../../core/aval.js';
import { type Atom, Literal, type Var } from '../../../core/jaxpr.js';
import { bind } from '../../../core/trace.js';
import { typedArrayFor } from '../../../core/dtype.js';
import type { Device } from '../../devices.js';
import { BufferUsage, WebGPUBuffer, bucketSize } from '../buffer_pool.js';
import { deviceBytes } from '../dtype_wgsl.js';
import type { GpuContext } from '../gpu_context.js';
import { type DispatchRequest, type GpuBuffer, type GpuOperand, type KernelContext, gpuKernels } from '../kernel.js';
import type { CachedPipeline } from '../pipeline_cache.js';
import type { CommandBatch } from '../command_batch.js';
import type { BufferPlan } from './buffer_plan.js';
import type { BindingRef, CompiledKernel, PassSpec } from './codegen.js';
import type { ProgramEqn } from './program.js';

export type Step =
  | { kind: 'fused'; name: string; compiled: CompiledKernel; inputs: Var[]; outputs: Var[] }
  | { kind: 'library'; name: string; eqn: ProgramEqn; inputs: Atom[]; outputs: Var[] }
  | { kind: 'host'; name: string; eqn: ProgramEqn; inputs: Atom[]; outputs: Var[] };

/** What the last call did (tests and benchmarks). */
export interface CallStats {
  dispatches: number;
  /** Segments queued (one, unless host steps split the call); the batch submits several calls' together. */
  submissions: number;
  bindGroupsCreated: number;
  uniformWrites: number;
}

// ---- call arena ----------------------------------------------------------------------------------

/** Intermediate buffers of one call: pool buffers reused by bucket, all returned after the submission. */
class CallArena {
  private readonly free = new Map<number, WebGPUBuffer[]>();
  /** Views (a buffer bound with a smaller size) and the pool buffer they are of. */
  private readonly owner = new Map<GpuBuffer, WebGPUBuffer>();
  /** Pool buffers the arena holds, in acquisition order. */
  private readonly held: WebGPUBuffer[] = [];
  private readonly heldSet = new Set<GpuBuffer>();

  /**
   * `retained`: the buffers the previous call of this executable held, in acquisition order. They
   * start out free, stacked so that this call, acquiring in the same order, gets the same buffers —
   * and so the same bind groups.
   */
  constructor(private readonly ctx: GpuContext, retained: readonly WebGPUBuffer[] = []) {
    for (let i = retained.length - 1; i >= 0; i--) {
      this.adopt(retained[i]);
      this.pushFree(retained[i]);
    }
    this.held.reverse();
  }

  private pushFree(handle: WebGPUBuffer): void {
    const size = handle.buffer.size;
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    if (!list.includes(handle)) list.push(handle);
  }

  acquire(nbytes: number): GpuBuffer {
    const reused = this.free.get(bucketSize(nbytes))?.pop();
    const handle = reused ?? this.ctx.allocate(nbytes);
    if (!reused) this.adopt(handle);
    if (handle.nbytes === nbytes) return handle;
    // The same GPU buffer bound with this value's size.
    const view = new WebGPUBuffer(handle.buffer, nbytes, handle.pool);
    this.owner.set(view, handle);
    return view;
  }

  /** Takes a pool buffer (a library kernel's result or temporary) into the arena; no-op for its own. */
  adopt(buf: GpuBuffer): void {
    if (this.owns(buf)) return;
    this.held.push(buf as WebGPUBuffer);
    this.heldSet.add(buf);
  }

  /** Makes a buffer reusable by later values of this call. */
  release(buf: GpuBuffer): void {
    this.adopt(buf);
    const handle = this.owner.get(buf) ?? (buf as WebGPUBuffer);
    this.owner.delete(buf);
    this.pushFree(handle);
  }

  /** Whether `buf` is an arena buffer (it must be copied before an array may own it). */
  owns(buf: GpuBuffer): boolean {
    return this.owner.has(buf) || this.heldSet.has(buf);
  }

  /** The buffers held, in acquisition order; the arena is empty afterwards. */
  finish(): WebGPUBuffer[] {
    const held = [...this.held];
    this.held.length = 0;
    this.heldSet.clear();
    this.free.clear();
    this.owner.clear();
    return held;
  }

  /** Everything back to the pool (after a failure, or when not retained). */
  drain(): void {
    releaseToPool(this.finish());
  }
}

function releaseToPool(buffers: readonly WebGPUBuffer[]): void {
  for (let i = buffers.length - 1; i >= 0; i--) buffers[i].pool.release(buffers[i]);
}

/**
 * Executables keep their intermediate buffers between calls (a training step's intermediates are
 * needed again at the next step, and the same buffers keep the same bind groups), up to this many
 * bytes and executables in all; the least recently run give theirs back to the pool first.
 */
export const RETAINED_BYTES_BUDGET = { bytes: 64 * 2 ** 20, executables: 16 };
const retaining: Executable[] = [];

function retain(exe: Executable, buffers: WebGPUBuffer[]): void {
  const at = retaining.indexOf(exe);
  if (at >= 0) retaining.splice(at, 1);
  const bytes = buffers.reduce((n, b) => n + b.buffer.size, 0);
  if (bytes > RETAINED_BYTES_BUDGET.bytes) { releaseToPool(buffers); exe.retained = []; return; }
  exe.retained = buffers;
  retaining.push(exe);
  let total = retaining.reduce((n, e) => n + e.retainedBytes, 0);
  // The list holds executables (and what they reference) alive: it is short, as well as small.
  while (total > RETAINED_BYTES_BUDGET.bytes || retaining.length > RETAINED_BYTES_BUDGET.executables) {
    const oldest = retaining.shift()!;
    total -= oldest.retainedBytes;
    releaseToPool(oldest.retained);
    oldest.retained = [];
  }
}

/** Gives the buffers an executable kept back to the pool. */
function unretain(exe: Executable): WebGPUBuffer[] {
  const at = retaining.indexOf(exe);
  if (at >= 0) retaining.splice(at, 1);
  const buffers = exe.retained;
  exe.retained = [];
  return buffers;
}

export function releaseRetained(exe: Executable): void {
  releaseToPool(unretain(exe));
}

// ---- encoding ------------------------------------------------------------------------------------

/** Uniform slots start at multiples of this (WebGPU's largest minUniformBufferOffsetAlignment). */
const UNIFORM_ALIGNMENT = 256;

/**
 * Uniform blocks of an executable's dispatch sites, one slot each (256-byte aligned), in one buffer.
 * Changed slots reach the GPU in one write just before the command batch's next submission, after
 * the work encoded before them; a rewrite of a slot that queued work may still read first submits
 * that work. A fixed plan writes its slots once, at its first call.
 */
class UniformSlots {
  private buffer: GPUBuffer | null = null;
  private host = new Uint8Array(0);
  private capacity = 0;
  private readonly slots = new Map<number, { offset: number; size: number }>();
  private end = 0;
  private dirty = false;
  constructor(private readonly device: GPUDevice, private readonly batch: CommandBatch) {}

  /** The slot of `site`, holding `bytes`; `changed` when they differ from what it held. */
  put(site: number, bytes: ArrayBufferView): { buffer: GPUBuffer; offset: number; size: number; changed: boolean } {
    const size = Math.ceil(Math.max(bytes.byteLength, 16) / 16) * 16;
    let slot = this.slots.get(site);
    const fresh = !slot || slot.size < size;
    if (fresh) {
      slot = { offset: this.end, size };
      this.end += Math.ceil(size / UNIFORM_ALIGNMENT) * UNIFORM_ALIGNMENT;
      this.slots.set(site, slot);
    }
    if (this.end > this.capacity) this.grow(this.end);
    const { offset } = slot!;
    const src = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const byteAt = (i: number) => (i < src.length ? src[i] : 0);
    let changed = false;
    for (let i = 0; i < size && !changed; i++) changed = this.host[offset + i] !== byteAt(i);
    if (changed) {
      // Dispatches queued before this one may read the slot's present bytes: they go first.
      if (!fresh) this.batch.submit();
      for (let i = 0; i < size; i++) this.host[offset + i] = byteAt(i);
      this.markDirty();
    }
    return { buffer: this.buffer!, offset, size, changed };
  }

  /** Schedules the write of the slots (and the release of replaced buffers) around the next submission. */
  private markDirty(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.batch.aroundNextSubmit({ before: () => this.flush(), after: () => this.afterSubmit() });
  }

  private grow(bytes: number): void {
    const capacity = Math.max(bytes, this.capacity * 2, 4 * UNIFORM_ALIGNMENT);
    const host = new Uint8Array(capacity);
    host.set(this.host);
    this.host = host;
    // Dispatches encoded before the growth bind the old buffer: it gets the same bytes at the next
    // flush and is destroyed after that submission.
    if (this.buffer) this.retired.push(this.buffer);
    this.buffer = this.device.createBuffer({ size: capacity, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label: 'tracelens jit uniforms' });
    this.capacity = capacity;
    this.markDirty();
  }
  private retired: GPUBuffer[] = [];

  /** Writes the slots to the GPU (queue order puts this after earlier submissions). */
  private flush(): void {
    this.dirty = false;
    if (!this.buffer) return;
    const queue = this.device.queue;
    queue.writeBuffer(this.buffer, 0, this.host, 0, this.capacity);
    for (const old of this.retired) queue.writeBuffer(old, 0, this.host, 0, old.size);
  }

  /** After a submission: buffers replaced by a growth are no longer bound by anything to come. */
  private afterSubmit(): void {
    for (const old of this.retired) old.destroy();
    this.retired = [];
  }

  destroy(): void { this.buffer?.destroy(); this.buffer = null; }
}

let nextBufferId = 1;
const bufferIds = new WeakMap<GPUBuffer, number>();
const idOf = (b: GPUBuffer) => {
  let id = bufferIds.get(b);
  if (id === undefined) { id = nextBufferId++; bufferIds.set(b, id); }
  return id;
};

const BIND_GROUPS_PER_SITE = 8;

/**
 * Encodes a call's dispatches into the backend's command batch (one compute pass shared with eager
 * work and other calls), with the executable's per-site bind group caches.
 */
class Recorder {
  site = 0;

  constructor(private readonly ctx: GpuContext, private readonly exe: Executable) {}

  dispatch(p: CachedPipeline, buffers: GpuBuffer[], uniforms: ArrayBufferView | null, workgroups: [number, number, number], label: string): void {
    const site = this.site++;
    if (workgroups[0] === 0 || workgroups[1] === 0 || workgroups[2] === 0) return;
    const u = uniforms ? this.exe.uniforms.put(site, uniforms) : null;
    if (u?.changed) this.exe.stats.uniformWrites++;
    let key = `${buffers.map((b) => `${idOf(b.buffer)}:${b.nbytes}`).join(',')}`;
    if (u) key += `|${idOf(u.buffer)}:${u.offset}`;
    let cache = this.exe.bindGroups.get(site);
    if (!cache) this.exe.bindGroups.set(site, (cache = new Map()));
    let group = cache.get(key);
    if (!group || group.layout !== p.layout) {
      const entries: GPUBindGroupEntry[] = buffers.map((b, binding) => ({
        binding, resource: { buffer: b.buffer, size: Math.max(4, Math.ceil(b.nbytes / 4) * 4) },
      }));
      if (u) entries.push({ binding: buffers.length, resource: { buffer: u.buffer, offset: u.offset, size: u.size } });
      if (cache.size >= BIND_GROUPS_PER_SITE) cache.clear();
      group = { layout: p.layout, group: this.ctx.device.createBindGroup({ layout: p.layout, entries, label }) };
      cache.set(key, group);
      this.exe.stats.bindGroupsCreated++;
    }
    this.ctx.batch.encode(p, group.group, workgroups, label);
    this.exe.stats.dispatches++;
  }

  copy(src: GpuBuffer, dst: GpuBuffer, nbytes: number, srcOffset = 0, dstOffset = 0): void {
    this.ctx.batch.copy(src.buffer, srcOffset, dst.buffer, dstOffset, nbytes);
  }

  /** Ends the segment: its work is in the batch, submitted with what follows (by the end of the task at the latest). */
  submit(): void {
    this.exe.stats.submissions++;
  }
}

/** The KernelContext library kernels (dot_general, gather, sort, …) see inside a plan. */
class LibraryContext implements KernelContext {
  /** WGSL of the dispatches this context encoded, for plan.kernels. */
  readonly codes: string[] = [];
  readonly workgroups: [number, number, number][] = [];
  /**
   * `fromArena`: the step's results are all intermediates, so every allocation may reuse the call's
   * dead buffers; otherwise allocations come from the pool (a result may be handed to the caller).
   */
  constructor(private readonly ctx: GpuContext, private readonly rec: Recorder, private readonly arena: CallArena, private readonly fromArena: boolean) {}
  get device(): GPUDevice { return this.ctx.device; }
  get hasF16(): boolean { return this.ctx.hasF16; }
  allocate(nbytes: number): GpuBuffer { return this.fromArena ? this.arena.acquire(nbytes) : this.ctx.allocate(nbytes); }
  allocateFor(aval: ShapedArray): GpuBuffer { return this.allocate(deviceBytes(aval.dtype, aval.size, this.ctx.hasF16)); }
  copyBuffer(src: GpuBuffer, dst: GpuBuffer, nbytes: number, srcOffset = 0, dstOffset = 0): void { this.rec.copy(src, dst, nbytes, srcOffset, dstOffset); }
  clone(buf: GpuBuffer, aval: ShapedArray): GpuBuffer {
    const copy = this.allocateFor(aval);
    this.rec.copy(buf, copy, copy.nbytes);
    return copy;
  }
  // A temporary is reusable later in the same command buffer (WebGPU orders the dispatches); a pool
  // one goes back to the pool, reusable after the submission.
  releaseTemp(buf: GpuBuffer): void {
    if (this.fromArena) this.arena.release(buf);
    else (buf as WebGPUBuffer).pool.release(buf as WebGPUBuffer);
  }
  dispatch(req: DispatchRequest): void {
    const label = req.label ?? 'library kernel';
    const uniforms = req.uniforms === undefined ? null : ArrayBuffer.isView(req.uniforms) ? req.uniforms : new Uint8Array(req.uniforms);
    const p = this.ctx.pipelines.get(req.code, { inputs: req.inputs.length, outputs: req.outputs.length, uniform: uniforms !== null }, label);
    const [x, y = 1, z = 1] = req.workgroups;
    this.codes.push(req.code);
    this.workgroups.push([x, y, z]);
    this.rec.dispatch(p, [...req.inputs, ...req.outputs], uniforms, [x, y, z], label);
  }
  grid(n: number, workgroupSize: number): [number, number, number] { return this.ctx.grid(n, workgroupSize); }
}

// ---- the executable -------------------------------------------------------------------------------

export interface ExecutableSpec {
  steps: Step[];
  buffers: BufferPlan;
  invars: Var[];
  consts: { v: Var; value: import('../../../core/array_base.js').ArrayBase }[];
  outvars: Atom[];
  /** Equations to interpret when a host step leaves pending values (program order). */
  eqnsOfStep: ProgramEqn[][];
}

export class Executable {
  readonly uniforms: UniformSlots;
  readonly bindGroups = new Map<number, Map<string, { layout: GPUBindGroupLayout; group: GPUBindGroup }>>();
  private readonly pipelines = new Map<PassSpec, CachedPipeline>();
  private readonly literalBuffers = new Map<string, GpuBuffer>();
  private readonly outputSet: Set<Var>;
  stats: CallStats = { dispatches: 0, submissions: 0, bindGroupsCreated: 0, uniformWrites: 0 };
  /** WGSL and workgroups of each library step's dispatches, recorded on the first call. */
  readonly libraryCode = new Map<number, { codes: string[]; workgroups: [number, number, number][] }>();
  calls = 0;
  /** Intermediate buffers kept from the last call (see RETAINED_BYTES_BUDGET). */
  retained: WebGPUBuffer[] = [];
  get retainedBytes(): number { return this.retained.reduce((n, b) => n + b.buffer.size, 0); }

  constructor(readonly ctx: GpuContext, readonly spec: ExecutableSpec) {
    this.uniforms = new UniformSlots(ctx.device, ctx.batch);
    this.outputSet = new Set(spec.outvars.filter((a): a is Var => !(a instanceof Literal)));
  }

  isOutput(v: Var): boolean { return this.outputSet.has(v); }

  pipelineFor(pass: PassSpec): CachedPipeline {
    let p = this.pipelines.get(pass);
    if (p?.error) throw p.error;
    if (!p) {
      p = this.ctx.pipelines.get(pass.code, { inputs: pass.reads.length, outputs: pass.writes.length, uniform: pass.uniforms !== null }, pass.label);
      this.pipelines.set(pass, p);
    }
    return p;
  }

  /** A buffer holding a literal, made once per executable (library kernels take operands as buffers). */
  literalBuffer(lit: Literal): GpuBuffer {
    const key = `${lit.aval.dtype}:${String(lit.value)}`;
    let b = this.literalBuffers.get(key);
    if (!b) {
      const host = typedArrayFor(lit.aval.dtype, 1);
      host[0] = typeof lit.value === 'boolean' ? +lit.value : lit.value;
      b = this.ctx.upload(host, lit.aval);
      this.literalBuffers.set(key, b);
    }
    return b;
  }

  run(args: Array[], device: Device): Array[] {
    this.stats = { dispatches: 0, submissions: 0, bindGroupsCreated: 0, uniformWrites: 0 };
    const call = new Call(this, device, args.some((a) => a.committed));
    this.spec.invars.forEach((v, i) => call.bindArray(v, args[i]));
    for (const c of this.spec.consts) call.bindArray(c.v, c.value as Array);
    try {
      const outs = call.run();
      this.calls++;
      return outs;
    } catch (e) {
      // Nothing of this call was submitted after the failure; its buffers go back to the pool.
      call.arena.drain();
      throw e;
    }
  }

  destroy(): void {
    releaseRetained(this);
    this.uniforms.destroy();
  }
}

/** The state of one call: where each value lives, the arena, the segment being encoded. */
class Call {
  readonly arena: CallArena;
  private readonly ctx: GpuContext;
  private readonly env = new Map<Var, GpuBuffer>();
  /** Values owned by arrays: the arguments, constants, host results, and values handed to host steps. */
  private readonly arrays = new Map<Var, Array>();
  /** Library results that came from the pool (their step had a program output) and are intermediates. */
  private readonly poolOwned = new Set<GpuBuffer>();
  private rec: Recorder;

  constructor(private readonly exe: Executable, private readonly device: Device, private readonly committed: boolean) {
    this.ctx = exe.ctx;
    this.arena = new CallArena(exe.ctx, unretain(exe));
    // Buffers released since the last submission (arrays that died, a training loop's previous
    // step) are reusable once the work that may still read them is submitted: submit it now, so a
    // steady-state call gets the same buffers back, and so its cached bind groups. When nothing was
    // released, the call's kernels simply queue behind that work.
    if (this.ctx.pool.hasPendingReleases) {
      this.ctx.batch.submit();
      this.ctx.pool.afterSubmit();
    }
    this.rec = new Recorder(this.ctx, exe);
  }

  bindArray(v: Var, a: Array): void {
    this.arrays.set(v, a);
    this.env.set(v, a.buffer as GpuBuffer);
  }

  private bufferOf(a: Atom): GpuBuffer {
    if (a instanceof Literal) return this.exe.literalBuffer(a);
    const b = this.env.get(a);
    if (!b) throw new Error('Tracelens internal error: a jitted kernel reads a value no earlier kernel computed.');
    return b;
  }

  private newArray(aval: ShapedArray, buffer: GpuBuffer): Array {
    return new Array(aval, this.device, buffer as WebGPUBuffer, { committed: this.committed });
  }

  /** An array holding `a`'s value (arena buffers are copied: the arena reuses them). */
  private arrayOf(a: Atom): Array {
    if (a instanceof Literal) return this.newArray(a.aval, this.ctx.upload(literalHost(a), a.aval));
    let arr = this.arrays.get(a);
    if (!arr) {
      let buf = this.bufferOf(a);
      if (this.arena.owns(buf)) {
        const copy = this.ctx.allocateFor(a.aval);
        this.rec.copy(buf, copy, copy.nbytes);
        buf = copy;
      }
      arr = this.newArray(a.aval, buf);
      this.arrays.set(a, arr);
    }
    return arr;
  }

  run(): Array[] {
    const { steps, buffers: plan } = this.exe.spec;
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k];
      if (step.kind === 'fused') this.runFused(step);
      else if (step.kind === 'library') this.runLibrary(step, k);
      else if (!this.runHost(step)) return this.interpretRest(k + 1);
      for (const v of plan.releaseAfter[k]) {
        const b = this.env.get(v);
        if (!b || this.arrays.has(v)) continue;
        // Pool buffers wait in the pool's pending list until this call's submission.
        if (this.poolOwned.delete(b)) (b as WebGPUBuffer).pool.release(b as WebGPUBuffer);
        else this.arena.release(b);
      }
    }
    this.finishSegments();
    return this.exe.spec.outvars.map((o) => {
      if (o instanceof Literal) return this.newArray(o.aval, this.ctx.upload(literalHost(o), o.aval));
      let arr = this.arrays.get(o);
      if (!arr) this.arrays.set(o, (arr = this.newArray(o.aval, this.env.get(o)!)));
      return arr;
    });
  }

  private runFused(step: Extract<Step, { kind: 'fused' }>): void {
    const ctx = this.ctx;
    const outs = step.outputs.map((v) => (this.exe.isOutput(v) ? ctx.allocateFor(v.aval) : this.arena.acquire(deviceBytes(v.aval.dtype, v.aval.size, ctx.hasF16))));
    step.outputs.forEach((v, i) => this.env.set(v, outs[i]));
    const temps = step.compiled.temps.map((n) => this.arena.acquire(n));
    const resolve = (r: BindingRef): GpuBuffer =>
      r.kind === 'input' ? this.bufferOf(step.inputs[r.index]) : r.kind === 'output' ? outs[r.index] : temps[r.index];
    for (const pass of step.compiled.passes) {
      this.rec.dispatch(this.exe.pipelineFor(pass), [...pass.reads.map(resolve), ...pass.writes.map(resolve)], pass.uniforms,
        ctx.grid(pass.threads, pass.workgroupSize), pass.label);
    }
    temps.forEach((t) => this.arena.release(t));
  }

  private runLibrary(step: Extract<Step, { kind: 'library' }>, k: number): void {
    const fromArena = !step.outputs.some((v) => this.exe.isOutput(v));
    const lib = new LibraryContext(this.ctx, this.rec, this.arena, fromArena);
    const operands: GpuOperand[] = step.inputs.map((a) => ({ buffer: this.bufferOf(a), aval: a.aval }));
    this.ctx.currentLabel = step.eqn.primitive.name;
    const outs = gpuKernels.get(step.eqn.primitive.name)!(lib, operands, step.eqn.params, step.outputs.map((v) => v.aval));
    step.outputs.forEach((v, i) => {
      this.env.set(v, outs[i]);
      // Results that are not program outputs are intermediates: the arena returns them to the pool.
      // A result that is not a program output is an intermediate: the arena's own, or (from a step
      // that allocated from the pool) a pool buffer given back where the plan releases it.
      if (!this.exe.isOutput(v) && !this.arena.owns(outs[i])) this.poolOwned.add(outs[i]);
    });
    if (!this.exe.libraryCode.has(k)) this.exe.libraryCode.set(k, { codes: lib.codes, workgroups: lib.workgroups });
  }

  /** Ends the segment, runs the equation eagerly on arrays, starts a new segment. False when its results are pending. */
  private runHost(step: Extract<Step, { kind: 'host' }>): boolean {
    const ins = step.inputs.map((a) => this.arrayOf(a));
    this.rec.submit();
    const outs = bind(step.eqn.primitive, ins, step.eqn.params) as Array[];
    this.ctx.batch.submit();
    const site = this.rec.site;
    this.rec = new Recorder(this.ctx, this.exe);
    this.rec.site = site;
    step.outputs.forEach((v, i) => this.arrays.set(v, outs[i]));
    if (outs.some((o) => o.isDeferred)) return false;
    step.outputs.forEach((v, i) => this.env.set(v, outs[i].buffer as GpuBuffer));
    return true;
  }

  /** Queues the last segment; buffers released by this call wait in the pool for the batch's submission. */
  private finishSegments(): void {
    this.rec.submit();
    retain(this.exe, this.arena.finish());
  }

  /**
   * After a host step whose results are still pending (a loop waiting on a readback): the equations
   * of the remaining steps run by `bind`, chained after those results as eager operations are.
   */
  private interpretRest(from: number): Array[] {
    const ordered = topoOrder(this.exe.spec.eqnsOfStep.slice(from).flat());
    const later = new Set(ordered.flatMap((e) => e.outBinders));
    const values = new Map<Var, Array>();
    // Values computed so far and still needed become arrays before the arena goes back to the pool.
    for (const a of [...ordered.flatMap((e) => e.inputs), ...this.exe.spec.outvars]) {
      if (!(a instanceof Literal) && !later.has(a) && !values.has(a)) values.set(a, this.arrayOf(a));
    }
    this.finishSegments();
    const read = (a: Atom): Array => (a instanceof Literal ? this.arrayOf(a) : values.get(a)!);
    for (const e of ordered) {
      const outs = bind(e.primitive, e.inputs.map(read), e.params) as Array[];
      e.outBinders.forEach((v, i) => values.set(v, outs[i]));
    }
    return this.exe.spec.outvars.map(read);
  }
}

function literalHost(lit: Literal) {
  const host = typedArrayFor(lit.aval.dtype, 1);
  host[0] = typeof lit.value === 'boolean' ? +lit.value : lit.value;
  return host;
}

/** Equations in an order where each comes after the producers of its inputs (stable otherwise). */
function topoOrder(eqns: ProgramEqn[]): ProgramEqn[] {
  const produced = new Map<Var, ProgramEqn>();
  for (const e of eqns) for (const v of e.outBinders) produced.set(v, e);
  const done = new Set<ProgramEqn>();
  const out: ProgramEqn[] = [];
  const visit = (e: ProgramEqn) => {
    if (done.has(e)) return;
    done.add(e);
    for (const a of e.inputs) if (!(a instanceof Literal)) { const p = produced.get(a); if (p) visit(p); }
    out.push(e);
  };
  eqns.forEach(visit);
  return out;
}
