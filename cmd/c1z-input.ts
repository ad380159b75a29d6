/** Opening the c1z a read-only subcommand works on, with a message that says what to do when it is missing. */
import { existsSync } from 'node:fs';
import { C1zReader } from '../pkg/c1z/index.js';

export async function openC1zInput(path: string): Promise<C1zReader> {
  if (!existsSync(path)) throw new Error(`${path} does not exist: run a sync first, or point -f/--file at a c1z file`);
  return C1zReader.open(path);
}
