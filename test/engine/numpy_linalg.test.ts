// dot, matmul (batched, broadcast, 1-D operands), outer and einsum (batch, trace, diagonal, chains) against JAX.
import { goldenSuite } from './helpers.js';

goldenSuite('numpy.json', 'np', (c) => c.group === 'linalg');
