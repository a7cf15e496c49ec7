// Control flow: lax.cond / lax.switch (cond_p), lax.whileLoop (while_p), lax.scan (scan_p) and
// lax.fori (scan or while), with JAX's primitives, params, operand order and printing.

export { cond, switch, cond_p } from './cond.js';
export type { CondParams, Scalar } from './cond.js';
export { whileLoop, while_p } from './while_loop.js';
export type { WhileParams } from './while_loop.js';
export { scan, scan_p } from './scan.js';
export type { ScanOptions, ScanParams } from './scan.js';
export { fori } from './fori.js';
export type { Bound, ForiOptions } from './fori.js';
export { JaxprTypeError } from './errors.js';
export type { AsArrays } from './tracing.js';
