// Where "Save checkpoint now" puts a run's checkpoints, and which of them "Restart from checkpoint"
// offers. The program names its saves `ckpt_<step, 8 digits>.safetensors` (CheckpointManager's
// naming); other .safetensors in the folder are offered too, without a step.
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join } from 'node:path';
import { checkpointStep } from '../../engine/checkpoint/file_name.js';

export { checkpointStep };

export interface CheckpointFile {
  path: string;
  /** From the file's name; null when it is not named like the program's saves. */
  step: number | null;
  modifiedMs: number;
}

/**
 * The folder for the checkpoints of `programFile`: `<checkpointDir>/<the program's stem>`, with a
 * relative `checkpointDir` (the setting `tracelens.watch.checkpointDir`) under `workspaceFolder`.
 */
export function checkpointDirFor(programFile: string, checkpointDir: string, workspaceFolder: string): string {
  const base = isAbsolute(checkpointDir) ? checkpointDir : join(workspaceFolder, checkpointDir);
  return join(base, basename(programFile, extname(programFile)));
}

/** The .safetensors files in `dir`, newest first; none when the folder does not exist yet. */
export async function listCheckpoints(dir: string): Promise<CheckpointFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const files = await Promise.all(names.filter((n) => n.endsWith('.safetensors')).map(async (name) => {
    const path = join(dir, name);
    try {
      const info = await stat(path);
      return info.isFile() ? { path, step: checkpointStep(path), modifiedMs: info.mtimeMs } : null;
    } catch {
      return null; // removed while we looked
    }
  }));
  return files
    .filter((f): f is CheckpointFile => f !== null)
    .sort((a, b) => b.modifiedMs - a.modifiedMs || (b.step ?? -1) - (a.step ?? -1));
}
