// nn.relu/gelu/sigmoid/softplus/silu/softmax/logSoftmax/logsumexp/oneHot against jax.nn.
import { goldenSuite } from './helpers.js';

goldenSuite('numpy.json', 'nn', (c) => c.group === 'nn');
