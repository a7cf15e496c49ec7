// jnp's ufuncs, where, clip, allclose; broadcasting; NaN/inf propagation — against JAX.
import { goldenSuite } from './helpers.js';

goldenSuite('numpy.json', 'np', (c) => c.group === 'elementwise' || c.group === 'broadcasting' || c.group === 'nan_inf');
