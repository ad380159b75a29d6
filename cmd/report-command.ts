/**
 * `baton-tableau report -f FILE.c1z [--csv OUT.csv]`: the access-review CSV (stdout without --csv)
 * and a readable summary on stderr.
 */
import { once } from 'node:events';
import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { openC1zInput } from './c1z-input.js';
import { ACCESS_COLUMNS, buildAccessReview, rowCells, type AccessReview } from './access-review.js';
import { EXIT_OK, writeText, type Subcommand } from './command.js';
import { csvLine } from './csv.js';
import { formatReviewSummary } from './report-summary.js';

async function writeCsv(review: AccessReview, out: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  await writeText(out, csvLine(ACCESS_COLUMNS));
  for (const row of review.rows) {
    signal.throwIfAborted();
    await writeText(out, csvLine(rowCells(row)));
  }
}

/** Opens the --csv file (after the review is built, so a failed run leaves an earlier CSV as it was). */
async function openCsvFile(path: string): Promise<WriteStream> {
  const file = createWriteStream(path);
  try {
    await once(file, 'open');
    return file;
  } catch (err) {
    throw new Error(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
}

async function writeCsvFile(review: AccessReview, file: WriteStream, signal: AbortSignal): Promise<void> {
  try {
    await writeCsv(review, file, signal);
  } finally {
    file.end();
  }
  await finished(file);
}

export const reportCommand: Subcommand = {
  name: 'report',
  describe: 'Access-review table of a c1z: one CSV row per user and site (-f FILE.c1z [--csv OUT.csv])',
  needsTableau: false,
  options: { csv: { type: 'string', describe: 'Write the CSV to this file instead of stdout' } },
  async run(ctx) {
    const csvPath = typeof ctx.argv['csv'] === 'string' && ctx.argv['csv'] !== '' ? ctx.argv['csv'] : undefined;
    if (csvPath && !statSync(dirname(resolve(csvPath)), { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`cannot write ${csvPath}: the folder ${dirname(resolve(csvPath))} does not exist`);
    }
    const reader = await openC1zInput(ctx.config.file);
    let review: AccessReview;
    try {
      review = buildAccessReview(reader);
    } finally {
      reader.close();
    }
    if (csvPath) await writeCsvFile(review, await openCsvFile(csvPath), ctx.signal);
    else await writeCsv(review, ctx.stdout, ctx.signal);
    ctx.stderr.write(formatReviewSummary(review, { source: ctx.config.file, csv: csvPath }));
    return EXIT_OK;
  },
};
