// dot_general kernels for the webgpu backend (being written).
export {};
