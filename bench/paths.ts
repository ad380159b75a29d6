/** Where the built files are: this module runs from dist/bench/, so dist/ is one level up. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of a file under dist/ (e.g. `cmd/baton-tableau.js`). */
export function distPath(relative: string): string {
  return path.join(DIST, relative);
}
