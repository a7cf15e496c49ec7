// reshape, transpose, expandDims, squeeze, concatenate, stack, broadcastTo, take (negative and
// out-of-bounds indices), ravel, swapaxes, flip — against JAX.
import { goldenSuite } from './helpers.js';

goldenSuite('numpy.json', 'np', (c) => c.group === 'shape');
