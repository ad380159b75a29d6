/**
 * `baton-tableau report -f FILE.c1z [--csv OUT.csv]`: the access-review CSV (stdout without --csv)
 * and a readable summary on stderr.
 */
import { once } from 'node:events';
import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { moveIntoPlace, removeStaleTemps, tempPathFor } from '../pkg/c1z/index.js';
import { openC1zInput } from './c1z-input.js';
import { ACCESS_COLUMNS, buildAccessReview, rowCells, type AccessReview } from './access-review.js';
import { EXIT_OK, writeText, writeUsageError, type Subcommand } from './command.js';
import { csvLine } from './csv.js';
import { formatReviewSummary } from './report-summary.js';

async function writeCsv(review: AccessReview, out: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  await writeText(out, csvLine(ACCESS_COLUMNS));
  for (const row of review.rows) {
    signal.throwIfAborted();
    await writeText(out, csvLine(rowCells(row)));
  }
}

/**
 * Writes the CSV to a temp file next to `path` and renames it over `path`: a failed or interrupted
 * run leaves an earlier CSV as it was, and a reader never sees half a file.
 */
async function replaceCsvFile(review: AccessReview, path: string, signal: AbortSignal): Promise<void> {
  const target = resolve(path);
  await removeStaleTemps(target, [dirname(target)]);
  const tempPath = tempPathFor(target, dirname(target), 'csv');
  try {
    const file = await openCsvFile(tempPath, path);
    try {
      await writeCsv(review, file, signal);
    } finally {
      file.end();
    }
    await finished(file);
    await fsyncFile(tempPath);
    await moveIntoPlace(tempPath, target);
  } catch (err) {
    await rm(tempPath, { force: true });
    throw err;
  }
}

async function openCsvFile(tempPath: string, shownPath: string): Promise<WriteStream> {
  const file = createWriteStream(tempPath, { flags: 'wx' });
  try {
    await once(file, 'open');
    return file;
  } catch (err) {
    throw new Error(`cannot write ${shownPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const reportCommand: Subcommand = {
  name: 'report',
  describe: 'Access-review table of a c1z: one CSV row per user and site (-f FILE.c1z [--csv OUT.csv])',
  needsTableau: false,
  options: { csv: { type: 'string', describe: 'Write the CSV to this file instead of stdout' } },
  async run(ctx) {
    const csvPath = typeof ctx.argv['csv'] === 'string' && ctx.argv['csv'] !== '' ? ctx.argv['csv'] : undefined;
    if (csvPath && !statSync(dirname(resolve(csvPath)), { throwIfNoEntry: false })?.isDirectory()) {
      const problem = `--csv ${csvPath}: the folder ${dirname(resolve(csvPath))} does not exist`;
      return writeUsageError(ctx.stderr, [problem], ctx.config.secrets);
    }
    const reader = await openC1zInput(ctx.config.file);
    let review: AccessReview;
    try {
      review = buildAccessReview(reader);
    } finally {
      reader.close();
    }
    if (csvPath) await replaceCsvFile(review, csvPath, ctx.signal);
    else await writeCsv(review, ctx.stdout, ctx.signal);
    ctx.stderr.write(formatReviewSummary(review, { source: ctx.config.file, csv: csvPath }));
    return EXIT_OK;
  },
};
