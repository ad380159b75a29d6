/**
 * Temp files of the atomic c1z write: `.<target name>.tmp-<pid>-<random>.<kind>` next to the
 * target (or in a chosen temp dir). The pid in the name lets the next run tell an abandoned
 * temp (its writer was killed) from one a live writer is still using.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** What a temp file holds: the SQLite database being built, or the compressed c1z before rename. */
export type TempKind = 'db' | 'c1z';

/** Path of a new temp file for `targetPath`, placed in `dir`. */
export function tempPathFor(targetPath: string, dir: string, kind: TempKind): string {
  const name = `.${path.basename(targetPath)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}.${kind}`;
  return path.join(dir, name);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function tempNamePattern(targetPath: string): RegExp {
  return new RegExp(`^\\.${escapeRegExp(path.basename(targetPath))}\\.tmp-(\\d+)-[0-9a-f]+\\.(db|c1z)(-journal)?$`);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid exists but belongs to someone else, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove temp files of `targetPath` in `dirs` whose owning process is gone.
 * Returns the removed paths. Temps of live processes (including this one) are left alone.
 */
export async function removeStaleTemps(targetPath: string, dirs: readonly string[]): Promise<string[]> {
  const pattern = tempNamePattern(targetPath);
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let entries: string[];
    try {
      entries = await fs.readdir(dir);
    } catch {
      continue;
    }
    for (const name of entries) {
      const match = pattern.exec(name);
      if (!match || processIsAlive(Number(match[1]))) continue;
      const full = path.join(dir, name);
      await fs.rm(full, { force: true });
      removed.push(full);
    }
  }
  return removed;
}

/** fsync a directory so a rename inside it survives a crash (no-op where directories cannot be opened). */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err;
  } finally {
    await handle?.close();
  }
}
