// layout kernels for the webgpu backend (being written).
export {};
