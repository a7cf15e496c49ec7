// gather_scatter kernels for the webgpu backend (being written).
export {};
