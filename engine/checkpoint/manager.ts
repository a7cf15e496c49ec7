// CheckpointManager: one directory of checkpoints of a training run, one file per step
// (`ckpt_00000200.safetensors`), keeping the newest `maxToKeep`, as Orbax's CheckpointManager does.
// An older checkpoint is deleted only after the new one has been renamed into place, so a crash at
// any moment leaves at least the previous checkpoint intact.

import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isStaleTempFile } from './atomic_write.js';
import { checkpointPath, checkpointStep } from './file_name.js';
import { CheckpointError } from './errors.js';
import { restore, type Restored, type RestoreOptions } from './restore.js';
import { save, type SaveOptions, type SaveResult } from './save.js';

export interface CheckpointManagerOptions {
  /** Keep the checkpoints of the newest this many steps; all of them when not given. */
  maxToKeep?: number | null;
}

export interface SkippedCheckpoint { step: number; path: string; error: CheckpointError }

export interface RestoredLatestValid<T> extends Restored<T> {
  step: number;
  /** The newer checkpoints that could not be restored, newest first, with why. */
  skipped: SkippedCheckpoint[];
}

export { checkpointPath, checkpointStep } from './file_name.js';

export class CheckpointManager {
  readonly directory: string;
  readonly maxToKeep: number | null;

  /** Creates the directory if needed and deletes temporary files left there by killed saves. */
  constructor(directory: string, opts: CheckpointManagerOptions = {}) {
    const maxToKeep = opts.maxToKeep ?? null;
    if (maxToKeep !== null && !(Number.isSafeInteger(maxToKeep) && maxToKeep >= 1)) {
      throw new RangeError(`CheckpointManager: maxToKeep must be a positive integer or null, got ${maxToKeep}`);
    }
    this.directory = resolve(directory);
    this.maxToKeep = maxToKeep;
    mkdirSync(this.directory, { recursive: true });
    for (const name of readdirSync(this.directory)) {
      if (isStaleTempFile(name)) unlinkSync(join(this.directory, name));
    }
  }

  /** The file of a step's checkpoint. */
  pathFor(step: number): string {
    return checkpointPath(this.directory, step);
  }

  /** The steps that have a checkpoint, oldest first. */
  allSteps(): number[] {
    return readdirSync(this.directory)
      .map(checkpointStep)
      .filter((step): step is number => step !== null)
      .sort((a, b) => a - b);
  }

  /** The newest step with a checkpoint, or null when there is none. */
  latestStep(): number | null {
    const steps = this.allSteps();
    return steps.length ? steps[steps.length - 1] : null;
  }

  /** Saves the step's checkpoint, then deletes the oldest beyond maxToKeep. */
  async save(step: number, tree: unknown, opts: Omit<SaveOptions, 'step'> = {}): Promise<SaveResult> {
    if (!Number.isSafeInteger(step) || step < 0) throw new TypeError(`CheckpointManager.save: step must be a non-negative integer, got ${step}`);
    if (this.allSteps().includes(step)) {
      throw new Error(`Checkpoint for step ${step} already exists in ${this.directory}. Save under a new step, or delete ${this.pathFor(step)} first.`);
    }
    const result = await save(this.pathFor(step), tree, { ...opts, step });
    if (this.maxToKeep !== null) {
      const steps = this.allSteps();
      for (const old of steps.slice(0, Math.max(0, steps.length - this.maxToKeep))) unlinkSync(this.pathFor(old));
    }
    return result;
  }

  /** Restores a step's checkpoint (the latest when `step` is not given); a damaged one raises CheckpointError. */
  restore(step?: number | null, like?: undefined, opts?: RestoreOptions): Promise<Restored<any>>;
  restore<T>(step: number | null | undefined, like: T, opts?: RestoreOptions): Promise<Restored<T>>;
  async restore<T>(step?: number | null, like?: T, opts: RestoreOptions = {}): Promise<Restored<T>> {
    const which = step ?? this.latestStep();
    if (which === null) throw new Error(`No checkpoints in ${this.directory}: nothing to restore.`);
    if (!this.allSteps().includes(which)) {
      throw new Error(`No checkpoint for step ${which} in ${this.directory}; it has steps [${this.allSteps().join(', ')}].`);
    }
    return restore(this.pathFor(which), like as T, opts);
  }

  /**
   * Restores the newest checkpoint that is intact, walking back over damaged ones (truncated,
   * corrupted: CheckpointError) and listing them in `skipped`. Other errors — a `like` that does not
   * match — are raised, since an older step would not fix them.
   */
  restoreLatestValid(like?: undefined, opts?: RestoreOptions): Promise<RestoredLatestValid<any>>;
  restoreLatestValid<T>(like: T, opts?: RestoreOptions): Promise<RestoredLatestValid<T>>;
  async restoreLatestValid<T>(like?: T, opts: RestoreOptions = {}): Promise<RestoredLatestValid<T>> {
    const skipped: SkippedCheckpoint[] = [];
    for (const step of this.allSteps().reverse()) {
      const path = this.pathFor(step);
      try {
        const restored = await restore(path, like as T, opts);
        return { ...restored, step, skipped };
      } catch (e) {
        if (!(e instanceof CheckpointError)) throw e;
        skipped.push({ step, path, error: e });
      }
    }
    const why = skipped.map((s) => `\n  step ${s.step}: ${s.error.message}`).join('');
    throw new Error(`No intact checkpoint in ${this.directory}${skipped.length ? `; every one is damaged:${why}` : ': it has none.'}`);
  }
}
