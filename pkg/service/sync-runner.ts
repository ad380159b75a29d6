/**
 * The default background sync: pkg/sync drives the ConnectorApi into a new c1z; the writer renames
 * it over `file` only when the sync finished, so a failed or cancelled sync leaves the old file.
 */
import { C1zWriter } from '../c1z/index.js';
import { runSync } from '../sync/index.js';
import type { SyncRunner } from './background-sync.js';

export const runSyncToFile: SyncRunner = async ({ api, file, log, signal }) => {
  const writer = await C1zWriter.create(file);
  try {
    await runSync({ api, writer, log, signal });
    await writer.finish();
  } catch (err) {
    await writer.abort();
    throw err;
  }
};
