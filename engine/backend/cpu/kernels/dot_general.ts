// dot_general kernels for the cpu backend (being written).
export {};
