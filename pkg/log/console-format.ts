/**
 * A small human formatter for pino's JSON lines (pino-pretty is not a dependency):
 * `12:34:56.789 INFO  sync finished step=grants count=42`.
 */

const HIDDEN_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name']);

const LEVEL_COLOR: Record<string, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[36m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[35m',
};

/** Formats one pino JSON line; lines that are not JSON objects pass through unchanged. */
export function formatConsoleLine(line: string, color: boolean): string {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = String(record['level'] ?? 'info');
  const label = level.toUpperCase().padEnd(5);
  const shownLevel = color ? `${LEVEL_COLOR[level] ?? ''}${label}\x1b[0m` : label;
  const fields = Object.entries(record)
    .filter(([key]) => !HIDDEN_KEYS.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  const parts = [clockTime(record['time']), shownLevel, String(record['msg'] ?? ''), ...fields];
  return `${parts.filter((p) => p !== '').join(' ')}\n`;
}

function clockTime(time: unknown): string {
  const date = typeof time === 'string' || typeof time === 'number' ? new Date(time) : new Date();
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(11, 23);
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (value && typeof value === 'object' && 'message' in value && 'type' in value) {
    // pino's error serializer: show the message and the stack on following lines.
    const err = value as { message: unknown; stack?: unknown };
    return typeof err.stack === 'string' ? `${JSON.stringify(err.message)}\n${err.stack}` : JSON.stringify(err.message);
  }
  return JSON.stringify(value);
}
