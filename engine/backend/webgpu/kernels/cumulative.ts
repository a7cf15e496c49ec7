// cumulative kernels for the webgpu backend (being written).
export {};
