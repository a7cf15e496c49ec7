// Every pointwise lax primitive against golden values from JAX, on every device: typical inputs per
// dtype and edge values (NaN, ±inf, ±0, denormals, overflow, integer wrap, division by zero, shifts
// >= 32). Tolerances are stated in helpers.ts and in each test's name.
import { goldenSuite } from './helpers.js';

goldenSuite('lax.json', 'lax', (c) => c.group === 'elementwise');
