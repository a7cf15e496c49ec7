// Type promotion through np.add for every pair of {bool, int32, uint32, float16, float32, weak int,
// weak float}: the result's dtype, weak type and values must be JAX's (e.g. int32 + 2.5 -> float32,
// uint32 + int32 -> int32 without x64).
import { goldenSuite } from './helpers.js';

goldenSuite('promotion.json', 'promotion');
