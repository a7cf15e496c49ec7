// lax's data-movement primitives against JAX: broadcast_in_dim, reshape, transpose, squeeze,
// expand_dims, rev, slice, dynamic_slice/dynamic_update_slice (clamped starts), gather/scatter
// (clip, fill and drop modes), concatenate, pad, iota, copy.
import { goldenSuite } from './helpers.js';

goldenSuite('lax.json', 'lax', (c) => c.group === 'structural');
