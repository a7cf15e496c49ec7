// sort kernels for the cpu backend (being written).
export {};
