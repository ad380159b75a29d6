/**
 * Temp files of atomic replaces (the c1z, the report CSV):
 * `.<target name>.tmp-<pid>-<host>-<process>-<random>.<kind>` next to the target (or in a chosen
 * temp dir). The name lets the next run tell an abandoned temp (its writer was killed) from one a
 * live writer is still using:
 *  - `<host>` hashes the hostname and kernel boot id: a temp from another host or an earlier boot is
 *    abandoned (one target has one writer at a time — the k8s manifests run a single replica);
 *  - `<pid>` + `<process>` (random per process): in a container node is PID 1 in every restart, so a
 *    live pid equal to ours only means "ours" when the process tag matches too.
 * Names without the tags (older releases) are judged by the pid alone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a temp file holds: the SQLite database being built, the compressed c1z, or a report CSV before rename. */
export type TempKind = 'db' | 'c1z' | 'csv';

/** Identifies this host in this boot; hashed so the file name does not reveal the hostname. */
function computeHostTag(): string {
  let bootId = '';
  try {
    bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // Not Linux: the hostname alone has to do.
  }
  return createHash('sha256').update(`${os.hostname()}\n${bootId}`).digest('hex').slice(0, 8);
}

const HOST_TAG = computeHostTag();
const PROCESS_TAG = randomBytes(4).toString('hex');

/** Path of a new temp file for `targetPath`, placed in `dir`. */
export function tempPathFor(targetPath: string, dir: string, kind: TempKind): string {
  const owner = `${process.pid}-${HOST_TAG}-${PROCESS_TAG}`;
  const name = `.${path.basename(targetPath)}.tmp-${owner}-${randomBytes(6).toString('hex')}.${kind}`;
  return path.join(dir, name);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function tempNamePattern(targetPath: string): RegExp {
  const base = escapeRegExp(path.basename(targetPath));
  return new RegExp(`^\\.${base}\\.tmp-(\\d+)-(?:([0-9a-f]{8})-([0-9a-f]{8})-)?[0-9a-f]+\\.(db|c1z|csv)(-journal)?$`);
}

/** Whether the writer named in a temp's name (pid, optional host and process tags) may still be running. */
function ownerMayBeAlive(pid: number, hostTag: string | undefined, processTag: string | undefined): boolean {
  if (hostTag !== undefined && hostTag !== HOST_TAG) return false;
  if (pid === process.pid) return processTag === undefined || processTag === PROCESS_TAG;
  return processIsAlive(pid);
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
 * Remove temp files of `targetPath` in `dirs` whose owning process is gone (see the file comment).
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
      if (!match || ownerMayBeAlive(Number(match[1]), match[2], match[3])) continue;
      const full = path.join(dir, name);
      await fs.rm(full, { force: true });
      removed.push(full);
    }
  }
  return removed;
}

/** Rename a finished (already fsynced) temp over `targetPath` and make the rename durable. */
export async function moveIntoPlace(tempPath: string, targetPath: string): Promise<void> {
  await fs.rename(tempPath, targetPath);
  await fsyncDirectory(path.dirname(targetPath));
}

/** fsync a directory so a rename inside it survives a crash (no-op where directories cannot be opened). */
async function fsyncDirectory(dir: string): Promise<void> {
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
