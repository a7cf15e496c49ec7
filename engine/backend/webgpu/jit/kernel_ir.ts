// The kernel IR: what a fused kernel computes, as data. Lowering (./lower.ts) builds it from a
// scheduled group of jaxpr equations; codegen (./codegen.ts) renders it as WGSL. Values are nodes
// of a DAG in SSA order (a node's arguments come before it); indices are symbolic (./index_expr.ts)
// over the kernel's loop variables.
//
// An elementwise kernel evaluates one block at every index i < size. A reduce kernel evaluates its
// prologue block at every (o, r) of the reduction — the operand's element `operandIndex(o, r)` —,
// folds the prologue's `value` into an accumulator per output o, and evaluates its epilogue block
// once per o, where the `acc` node is the reduced value.

import type { DType } from '../../../core/dtype.js';
import type { Params, Primitive } from '../../../core/primitive.js';
import type { MonoidOp } from '../kernels/wgsl_lib.js';
import type { Idx } from './index_expr.js';

export type Node =
  /** An element of input buffer `input`. */
  | { op: 'load'; dtype: DType; input: number; index: Idx }
  /** A scalar constant (a jaxpr literal or a host-known scalar constant). */
  | { op: 'const'; dtype: DType; value: number | boolean }
  /** An index value as a number of `dtype` (iota). */
  | { op: 'coord'; dtype: DType; index: Idx }
  /** A pointwise primitive applied to earlier nodes, with the primitive's own WGSL formula. */
  | { op: 'alu'; dtype: DType; prim: Primitive; params: Params; args: number[] }
  /** The reduced value (epilogue blocks only). */
  | { op: 'acc'; dtype: DType };

export interface Store { output: number; node: number; index: Idx }

export interface Block { nodes: Node[]; stores: Store[] }

export interface BufferDecl { dtype: DType; size: number; name: string }

export interface ElementwiseKernel {
  kind: 'elementwise';
  size: number;
  inputs: BufferDecl[];
  outputs: BufferDecl[];
  /** Evaluated with loop variable `i`. */
  body: Block;
}

export interface ReduceKernel {
  kind: 'reduce';
  op: MonoidOp;
  /** Dtype of the reduced operand (the accumulator is its kernel type). */
  dtype: DType;
  /** Dtype of the reduction's result. */
  outDtype: DType;
  nOut: number;
  /** Elements reduced per output. */
  R: number;
  /** The operand element of (o, r), over loop variables `o` and `r`. */
  operandIndex: Idx;
  /** The operand is [nOut, R] in row-major order (reduced dims trailing): long rows fold as kernels/reduce.ts's strip passes. */
  rows: boolean;
  inputs: BufferDecl[];
  outputs: BufferDecl[];
  /** Evaluated at the operand index; `value` is the node folded into the accumulator. */
  prologue: Block & { value: number };
  /** Evaluated with loop variable `o` (the output index). */
  epilogue: Block;
}

export type FusedKernel = ElementwiseKernel | ReduceKernel;
