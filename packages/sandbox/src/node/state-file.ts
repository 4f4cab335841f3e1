import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SerializedState } from '../core/store.js';

/** Reads a saved state file; undefined when there is none yet. */
export function readStateFile(path: string): SerializedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as SerializedState;
  } catch {
    throw new Error(`The sandbox state file ${path} is not valid JSON; delete it to start afresh.`);
  }
}

/** Writes the state atomically (temporary file, then rename), so a crash never leaves half a file. */
export function writeStateFile(path: string, state: SerializedState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, path);
}

/** Saves at most every `delayMs` while changes keep coming; `flush()` saves now. */
export function debouncedSaver(save: () => void, delayMs = 100) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule(): void {
      timer ??= setTimeout(() => {
        timer = undefined;
        save();
      }, delayMs);
    },
    flush(): void {
      if (timer) clearTimeout(timer);
      timer = undefined;
      save();
    },
    cancel(): void {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
