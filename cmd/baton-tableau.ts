#!/usr/bin/env node
/**
 * baton-tableau: Baton connector for Tableau Server / Tableau Cloud. One-shot sync into a c1z by
 * default; `serve`, `dump`, `report`, `capabilities` and `config` subcommands (see cmd/cli.ts).
 */
import { hideBin } from 'yargs/helpers';
import { runCli } from './cli.js';
import { installSignalAbort } from './signals.js';
import { capHeapGrowth } from './heap-growth.js';

capHeapGrowth();

// `baton-tableau dump ... | head` closes stdout early: that is a normal way to stop, not a crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Last resort for errors outside any command's handling: one line, no stack (stacks can quote request data).
process.on('uncaughtException', (err: Error) => {
  process.stderr.write(`baton-tableau: unexpected error: ${err.message.split('\n')[0] ?? err.name}\n`);
  process.exit(1);
});

const signal = installSignalAbort();
process.exitCode = await runCli(hideBin(process.argv), { stdout: process.stdout, stderr: process.stderr, signal });
