/**
 * Reads a c1z through a path that shares no code with pkg/c1z: fzstd (pure JS zstd) + sql.js
 * (SQLite compiled to WASM, in memory).
 */
import { decompress } from 'fzstd';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface SqlJsDatabase {
  exec(sql: string, params?: unknown[]): { columns: string[]; values: unknown[][] }[];
  close(): void;
}
type InitSqlJs = () => Promise<{ Database: new (data: Uint8Array) => SqlJsDatabase }>;

const require = createRequire(import.meta.url);
const initSqlJs = require('sql.js') as InitSqlJs;

export interface IndependentC1z {
  magic: Buffer;
  /** The decompressed SQLite file. */
  sqlite: Uint8Array;
  /** Rows as objects, keyed by column name. */
  query(sql: string, params?: unknown[]): Record<string, unknown>[];
  close(): void;
}

export async function openIndependently(path: string): Promise<IndependentC1z> {
  const file = readFileSync(path);
  const magic = file.subarray(0, 5);
  const sqlite = decompress(file.subarray(5));
  const SQL = await initSqlJs();
  const db = new SQL.Database(sqlite);
  return {
    magic,
    sqlite,
    query(sql, params) {
      const [result] = db.exec(sql, params);
      if (!result) return [];
      return result.values.map((values) => Object.fromEntries(result.columns.map((c, i) => [c, values[i]])));
    },
    close: () => db.close(),
  };
}
