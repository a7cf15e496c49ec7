// Global configuration, as `jax.config`: `config.update('enableX64', true)`.

export interface ConfigValues {
  /** Allow float64 (cpu backend only). Like `jax_enable_x64`. */
  enableX64: boolean;
  /** Raise at the first primitive that produces a NaN, naming it. Like `jax_debug_nans`. */
  debugNans: boolean;
  /** Use JAX's partitionable threefry (the default since JAX 0.5). */
  threefryPartitionable: boolean;
  /** The device new arrays land on: 'webgpu' or 'cpu'. Like `jax_default_device` / `jax_platforms`. */
  defaultDevice: 'webgpu' | 'cpu' | null;
}

type Listener = (key: keyof ConfigValues, value: unknown) => void;

class Config implements ConfigValues {
  enableX64 = false;
  debugNans = false;
  threefryPartitionable = true;
  defaultDevice: 'webgpu' | 'cpu' | null = null;
  private listeners: Listener[] = [];

  update<K extends keyof ConfigValues>(key: K, value: ConfigValues[K]): void {
    const known: (keyof ConfigValues)[] = ['enableX64', 'debugNans', 'threefryPartitionable', 'defaultDevice'];
    if (!known.includes(key)) {
      throw new Error(`config.update: unknown option '${String(key)}'; the options are ${known.join(', ')}.`);
    }
    if (key === 'defaultDevice' && value !== null && value !== 'cpu' && value !== 'webgpu') {
      throw new Error(`config.update('defaultDevice', ${JSON.stringify(value)}): use 'webgpu', 'cpu' or null.`);
    }
    if (key !== 'defaultDevice' && typeof value !== 'boolean') {
      throw new Error(`config.update('${key}', ${JSON.stringify(value)}): expected true or false.`);
    }
    (this as unknown as Record<string, unknown>)[key] = value;
    for (const l of this.listeners) l(key, value);
  }

  /** Internal: react to changes (the device registry listens for defaultDevice). */
  onChange(l: Listener): void { this.listeners.push(l); }
}

export const config = new Config();
