// WGSL helper functions that elementwise formulas call by name (listed in `wgslHelpers`). The
// webgpu backend includes each named helper once per shader that needs it.

export const wgslHelpers: Record<string, string> = {};
