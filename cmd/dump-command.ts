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

/** Records of one kind sorted by id in SQL, so nothing but the current record is held in memory. */
function recordsOf(reader: C1zReader, kind: Kind): Iterable<StoredRecord> {
  switch (kind) {
    case 'resource_type':
      return reader.resourceTypes('externalId');
    case 'resource':
      return reader.resources('externalId');
    case 'entitlement':
      return reader.entitlements('externalId');
    case 'grant':
      return reader.grants('externalId');
  }
}

/** Writes the dump of an open reader to `out`; returns the number of lines. */
async function dumpC1z(reader: C1zReader, out: NodeJS.WritableStream, signal?: AbortSignal): Promise<number> {
  let lines = 0;
  for (const { kind, message, key } of KINDS) {
    for (const record of recordsOf(reader, kind)) {
      signal?.throwIfAborted();
      const line = { kind, id: record.externalId, [key]: protoJsonFromBytes(message, record.data) };
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
