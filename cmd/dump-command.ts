/**
 * `baton-tableau dump -f FILE.c1z`: every record of the latest sync as one JSON line on stdout,
 * `{"kind","id", "<kind>": <protojson>}`, ordered by kind and then id so two dumps diff cleanly.
 */
import type { C1zReader } from '../pkg/c1z/index.js';
import { openC1zInput } from './c1z-input.js';
import { EXIT_OK, writeText, type Subcommand } from './command.js';
import { protoJsonFromBytes } from './protojson.js';

/** Kinds in output order, with the message each stores and the key its JSON goes under. */
const KINDS = [
  { kind: 'resource_type', message: 'c1.connector.v2.ResourceType', key: 'resourceType' },
  { kind: 'resource', message: 'c1.connector.v2.Resource', key: 'resource' },
  { kind: 'entitlement', message: 'c1.connector.v2.Entitlement', key: 'entitlement' },
  { kind: 'grant', message: 'c1.connector.v2.Grant', key: 'grant' },
] as const;

type Kind = (typeof KINDS)[number]['kind'];
type StoredRecord = { externalId: string; data: Uint8Array };

function recordsOf(reader: C1zReader, kind: Kind): Iterable<StoredRecord> {
  switch (kind) {
    case 'resource_type':
      return reader.resourceTypes();
    case 'resource':
      return reader.resources();
    case 'entitlement':
      return reader.entitlements();
    case 'grant':
      return reader.grants();
  }
}

/** Writes the dump of an open reader to `out`; returns the number of lines. */
export async function dumpC1z(reader: C1zReader, out: NodeJS.WritableStream, signal?: AbortSignal): Promise<number> {
  let lines = 0;
  for (const { kind, message, key } of KINDS) {
    // Only ids and blob references are held; decoding happens one record at a time while writing.
    const records = [...recordsOf(reader, kind)].map((r) => ({ id: r.externalId, data: r.data }));
    records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const record of records) {
      signal?.throwIfAborted();
      const line = { kind, id: record.id, [key]: protoJsonFromBytes(message, record.data) };
      await writeText(out, `${JSON.stringify(line)}\n`);
      lines++;
    }
  }
  return lines;
}

export const dumpCommand: Subcommand = {
  name: 'dump',
  describe: 'Print every record of a c1z file as JSON lines (-f FILE.c1z)',
  needsTableau: false,
  async run(ctx) {
    const reader = await openC1zInput(ctx.config.file);
    try {
      const lines = await dumpC1z(reader, ctx.stdout, ctx.signal);
      ctx.log.debug({ file: ctx.config.file, lines }, 'dump written');
      return EXIT_OK;
    } finally {
      reader.close();
    }
  },
};
