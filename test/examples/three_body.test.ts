// examples/three_body.ts: vmap with inAxes [0, null, null, null] and valueAndGrad with hasAux and
// argnums [0, 1] give JAX's energies, Lagrangian, aux outputs and gradients.

import { test } from 'node:test';
import { assertClose, decode, examplePlatforms, loadExampleGolden, runExample } from './run_example.js';

const golden = loadExampleGolden('three_body');

for (const platform of examplePlatforms()) {
  test(`${platform} › examples/three_body.ts matches JAX`, async () => {
    const { result } = await runExample('three_body', platform);
    assertClose(result.kinetic, decode(golden.kinetic), 'kinetic energy per step', 1e-5, 1e-5);
    assertClose(result.potential, decode(golden.potential), 'potential energy per step', 1e-5, 1e-5);
    assertClose([result.L0], decode(golden.L0), 'L(q0, qdot0)', 1e-5, 1e-5);
    assertClose([result.aux0.kinetic, result.aux0.potential],
      [decode(golden.aux0.kinetic)[0], decode(golden.aux0.potential)[0]], 'aux {kinetic, potential}', 1e-5, 1e-5);
    assertClose(result.dL_dq0, decode(golden.dL_dq0), 'dL/dq at t = 0', 1e-4, 1e-5);
    assertClose(result.dL_dqdot0, decode(golden.dL_dqdot0), 'dL/dqdot at t = 0', 1e-5, 1e-5);
  });
}
