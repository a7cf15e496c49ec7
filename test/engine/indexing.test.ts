// x.index(...) (JAX's x[...]) with ints, slices, None, '...', integer and boolean arrays, and
// x.at(...).set/add/multiply/get, including out-of-bounds indices (clamped on read, dropped on write).
import { goldenSuite } from './helpers.js';

goldenSuite('numpy.json', 'np', (c) => c.group === 'indexing');
