/**
 * proto/generated/baton.d.ts is generated from the .proto files (`npm run proto:types`) and checked
 * in. Regenerating from a copy of the .proto files in a temporary folder must give the same text, so
 * a .proto change without a regeneration fails here instead of leaving the types behind the wire.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { GENERATED_TYPES, writeTypes } from '../../proto/generate-types.js';

const protoDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../proto');

function cliInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('protobufjs-cli');
    return true;
  } catch {
    return false;
  }
}

const haveCli = cliInstalled();
// A production install has no devDependencies: say so rather than skip silently.
if (!haveCli) console.warn('skipping the generated-types check: protobufjs-cli (a devDependency) is not installed');

describe.skipIf(!haveCli)('proto/generated/baton.d.ts', () => {
  const work = mkdtempSync(join(tmpdir(), 'proto-types-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A copy of our .proto files (and nothing else) in a fresh folder. */
  function copyProtos(): string {
    const dir = mkdtempSync(join(work, 'proto-'));
    cpSync(protoDir, dir, { recursive: true, filter: (src) => !/\.(ts|js|map)$/.test(src) });
    return dir;
  }

  // pbts runs jsdoc in a child process: a few seconds idle, much more on a loaded host.
  test('matches a fresh generation from the .proto files', { timeout: 120_000 }, async () => {
    const out = join(work, 'fresh.d.ts');
    await writeTypes(out, copyProtos());
    const fresh = readFileSync(out, 'utf8');
    const checkedIn = readFileSync(join(protoDir, GENERATED_TYPES), 'utf8');
    expect(fresh === checkedIn, 'proto/generated/baton.d.ts is stale: run `npm run proto:types`').toBe(true);
  });

  test('a .proto change shows in the declarations', { timeout: 120_000 }, async () => {
    const dir = copyProtos();
    const file = join(dir, 'c1/connector/v2/annotation_external_link.proto');
    const proto = readFileSync(file, 'utf8').replace('string url = 1;', 'string url = 1;\n  string title = 2;');
    writeFileSync(file, proto);
    const out = join(work, 'changed.d.ts');
    await writeTypes(out, dir);
    const changed = readFileSync(out, 'utf8');
    expect(changed).toMatch(/namespace ExternalLink \{[^}]*title\?: string;/);
    expect(changed).not.toBe(readFileSync(join(protoDir, GENERATED_TYPES), 'utf8'));
  });
});
