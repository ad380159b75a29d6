/**
 * c1z v1 files (`C1ZF\0` + zstd(SQLite)), readable by the Baton SDK and the `baton` CLI.
 * Knows encoded protobuf bytes, never Tableau.
 */
export { C1zWriter } from './writer.js';
export { C1zReader } from './reader.js';
export { newKsuid, ksuidTime } from './ksuid.js';
export { formatC1zTimestamp } from './timestamps.js';
export { moveIntoPlace, removeStaleTemps, tempPathFor } from './temp-files.js';
