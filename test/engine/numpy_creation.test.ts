// np.array/asarray/zeros/ones/full/*Like/arange/linspace/eye against JAX: values, dtypes, weak types.
import { goldenSuite } from './helpers.js';

goldenSuite('numpy.json', 'np', (c) => c.group === 'creation');
