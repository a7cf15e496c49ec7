// Errors with JAX's names and meanings.

/** Python's IndexError: an index out of range for a dimension, or not understood. */
export class IndexError extends RangeError {
  constructor(message: string) { super(message); this.name = 'IndexError'; }
}

export class ConcretizationTypeError extends TypeError {
  constructor(message: string) { super(message); this.name = 'ConcretizationTypeError'; }
}
export class TracerArrayConversionError extends TypeError {
  constructor(message: string) { super(message); this.name = 'TracerArrayConversionError'; }
}
export class NonConcreteBooleanIndexError extends IndexError {
  constructor(message: string) { super(message); this.name = 'NonConcreteBooleanIndexError'; }
}
export class UnexpectedTracerError extends Error {
  constructor(message: string) { super(message); this.name = 'UnexpectedTracerError'; }
}
/** A NaN produced while `config.debugNans` is on; names the primitive that produced it. */
export class FloatingPointError extends Error {
  constructor(message: string) { super(message); this.name = 'FloatingPointError'; }
}
/** An array whose device buffer died with a lost GPU device. */
export class DeviceLostError extends Error {
  constructor(message: string) { super(message); this.name = 'DeviceLostError'; }
}

