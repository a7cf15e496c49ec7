// Reductions over every axis combination, argmax/argmin (ties, NaN), cumulative ops, sort (NaN,
// -0, multiple operands) and dot_general (batched, several contracting dims) against JAX.
import { goldenSuite } from './helpers.js';

goldenSuite('lax.json', 'lax', (c) => c.group === 'reductions');
