// How a CheckpointManager names a step's file (`ckpt_00000200.safetensors`, as Orbax numbers them)
// and reads the step back. No other imports: the extension host lists checkpoint folders with it
// without loading the engine.
import { basename, join, resolve } from 'node:path';

const FILE_NAME = /^ckpt_(\d+)\.safetensors$/;

/** The file of a step's checkpoint in `directory`: what a manager over it lists. */
export function checkpointPath(directory: string, step: number): string {
  return join(resolve(directory), `ckpt_${String(step).padStart(8, '0')}.safetensors`);
}

/** The step in a checkpoint file's name, or null when the file is not named like a manager's. */
export function checkpointStep(path: string): number | null {
  const match = FILE_NAME.exec(basename(path));
  return match ? Number(match[1]) : null;
}
