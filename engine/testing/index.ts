// Testing utilities, as `jax.test_util`.
export { checkGrads, formatGradCheckReport, GradCheckError } from './check_grads.js';
export type { CheckGradsOptions, GradCheckLeaf, GradCheckReport, GradMode, Tolerance } from './check_grads.js';
