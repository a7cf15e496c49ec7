// gather_scatter kernels for the cpu backend (being written).
export {};
