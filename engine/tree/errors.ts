// Python's ValueError, which JAX raises for pytree structure errors.

export class ValueError extends Error {
  constructor(message: string) { super(message); this.name = 'ValueError'; }
}
