// sum/mean/max/min/prod over every axis combination with keepdims, var/std with ddof,
// argmax/argmin ties and NaN, cumsum — against JAX.
import { goldenSuite } from './helpers.js';

goldenSuite('numpy.json', 'np', (c) => c.group === 'reductions');
