/** C1zReader on files the writer made, and on bad ones; the zstd file copies beneath both. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { decompress } from 'fzstd';
import { C1zReader, C1zWriter } from '../../pkg/c1z/index.js';
import { C1Z_MAGIC } from '../../pkg/c1z/schema.js';
import { compressFileTo, compressionWorkersFor, decompressFileTo } from '../../pkg/c1z/zstd-file.js';
import { bytes, TIMESTAMP, writeSample } from './writer-fixtures.js';
import { zstdFrameContentSize, zstdFrameLength } from './zstd-frame.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'c1z-reader-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('C1zReader', () => {
  test('reads back every record of the latest sync and removes its temp file on close', async () => {
    const target = path.join(dir, 'sync.c1z');
    const w = await writeSample(target);
    const syncId = w.syncId;
    await w.finish();
    const tempDir = path.join(dir, 'reader-tmp');
    await fs.mkdir(tempDir);
    const r = await C1zReader.open(target, { tempDir });
    expect(await fs.readdir(tempDir)).toHaveLength(1);
    expect(r.latestSync()).toMatchObject({ syncId, syncType: 'full' });
    expect(r.latestSync()?.endedAt).toMatch(TIMESTAMP);
    const text = (d: Uint8Array): string => Buffer.from(d).toString();
    expect([...r.resourceTypes()].map((t) => [t.externalId, text(t.data)])).toEqual([
      ['site', 'rt-site'],
      ['user', 'rt-user'],
    ]);
    expect([...r.resources()].map((x) => ({ ...x, data: text(x.data) }))).toEqual([
      { externalId: 'site:s1', resourceTypeId: 'site', parentResourceTypeId: null, parentResourceId: null, data: 'r-s1' },
      { externalId: 'user:u1', resourceTypeId: 'user', parentResourceTypeId: 'site', parentResourceId: 's1', data: 'r-u1' },
    ]);
    expect([...r.entitlements()].map((x) => ({ ...x, data: text(x.data) }))).toEqual([
      { externalId: 'site:s1:viewer', resourceTypeId: 'site', resourceId: 's1', data: 'e-viewer' },
    ]);
    expect([...r.grants()].map((x) => ({ ...x, data: text(x.data) }))).toEqual([
      {
        externalId: 'site:s1:viewer:user:u1',
        entitlementId: 'site:s1:viewer',
        resourceTypeId: 'site',
        resourceId: 's1',
        principalResourceTypeId: 'user',
        principalResourceId: 'u1',
        data: 'g-1',
      },
    ]);
    r.close();
    expect(await fs.readdir(tempDir)).toEqual([]);
  });

  test("lists records by external id in SQL when asked ('externalId'), insertion order otherwise", async () => {
    const target = path.join(dir, 'sync.c1z');
    const w = await C1zWriter.create(target);
    for (const id of ['u3', 'u1', 'u2']) {
      w.addResource({ resourceTypeId: 'user', resourceId: id, data: bytes(id) });
      w.addGrant({ id: `g:${id}`, entitlementId: 'g:member', resourceTypeId: 'group', resourceId: 'g',
        principalTypeId: 'user', principalId: id, data: bytes(id) });
    }
    await w.finish();
    const r = await C1zReader.open(target);
    try {
      expect([...r.resources()].map((x) => x.externalId)).toEqual(['user:u3', 'user:u1', 'user:u2']);
      expect([...r.resources('externalId')].map((x) => x.externalId)).toEqual(['user:u1', 'user:u2', 'user:u3']);
      expect([...r.grants('externalId')].map((x) => x.externalId)).toEqual(['g:u1', 'g:u2', 'g:u3']);
    } finally {
      r.close();
    }
  });

  test('rejects a file without the c1z v1 magic with a clear error', async () => {
    const bad = path.join(dir, 'bad.c1z');
    await fs.writeFile(bad, 'SQLite format 3\0 not a c1z');
    await expect(C1zReader.open(bad)).rejects.toThrow(/not a c1z v1 file: bad magic/);
    const v3 = path.join(dir, 'v3.c1z');
    await fs.writeFile(v3, Buffer.from('C1Z3\0rest', 'latin1'));
    await expect(C1zReader.open(v3)).rejects.toThrow(/v3/);
  });

  /** Files under `under` this process still has open (Linux: /proc/self/fd links, deleted ones included). */
  async function openFilesUnder(under: string): Promise<string[]> {
    const links = await Promise.all((await fs.readdir('/proc/self/fd')).map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')));
    return links.filter((link) => link.startsWith(under));
  }

  test.runIf(process.platform === 'linux')('a SQLite file without c1z tables is refused with nothing left open', async () => {
    const plain = path.join(dir, 'plain.db');
    const db = new Database(plain);
    db.exec('create table other (x)');
    db.close();
    const target = path.join(dir, 'no-sync-runs.c1z');
    await compressFileTo(plain, target, C1Z_MAGIC);
    const tempDir = path.join(dir, 'reader-tmp');
    await fs.mkdir(tempDir);
    await expect(C1zReader.open(target, { tempDir })).rejects.toThrow(/cannot read.*v1_sync_runs/);
    expect(await fs.readdir(tempDir)).toEqual([]);
    expect(await openFilesUnder(tempDir)).toEqual([]);
  });

  test.runIf(process.platform === 'linux')('zstd file copies close the source when the destination cannot be created', async () => {
    const src = path.join(dir, 'src.bin');
    const taken = path.join(dir, 'taken.bin');
    await fs.writeFile(src, 'payload');
    await fs.writeFile(taken, 'already here');
    await expect(compressFileTo(src, taken, C1Z_MAGIC)).rejects.toThrow(/EEXIST/);
    await expect(decompressFileTo(src, taken, 0)).rejects.toThrow(/EEXIST/);
    expect(await openFilesUnder(dir)).toEqual([]);
  });

  test.each([0, 2])(
    'a file of several compression jobs becomes one frame with its content size (%i zstd workers)',
    async (workers) => {
      // 6 MB of compressible, non-repeating text: several 1 MB read chunks and several zstd worker jobs.
      const lines = Array.from({ length: 120_000 }, (_, i) => `grant ${i} ${(i * 2654435761) % 4294967296}\n`);
      const plain = Buffer.from(lines.join('').padEnd(6 << 20, '.'));
      const src = path.join(dir, 'big.bin');
      const target = path.join(dir, 'big.c1z');
      await fs.writeFile(src, plain);
      const written = await compressFileTo(src, target, C1Z_MAGIC, { workers });
      const file = await fs.readFile(target);
      expect(written).toBe(file.length);
      const frame = file.subarray(C1Z_MAGIC.length);
      expect(zstdFrameContentSize(frame)).toBe(plain.length);
      expect(zstdFrameLength(frame)).toBe(frame.length);
      expect(Buffer.from(decompress(frame)).equals(plain)).toBe(true);
    },
  );

  test('compresses large databases on zstd worker threads and small ones on the calling thread', () => {
    expect(compressionWorkersFor(40 << 20)).toBe(0);
    expect(compressionWorkersFor(120 << 20)).toBe(Math.min(2, os.availableParallelism()));
    expect(compressionWorkersFor(2800 * 2 ** 20)).toBe(Math.min(2, os.availableParallelism()));
  });

  test('rejects a truncated file and leaves no temp behind', async () => {
    const target = path.join(dir, 'sync.c1z');
    await (await writeSample(target)).finish();
    const full = await fs.readFile(target);
    await fs.writeFile(target, full.subarray(0, Math.floor(full.length / 2)));
    const tempDir = path.join(dir, 'reader-tmp');
    await fs.mkdir(tempDir);
    await expect(C1zReader.open(target, { tempDir })).rejects.toThrow(/cannot read/);
    expect(await fs.readdir(tempDir)).toEqual([]);
  });
});
