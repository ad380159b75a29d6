/**
 * Timestamps as the Baton SDK stores them in c1z v1: TEXT in local wall-clock time, no zone,
 * `YYYY-MM-DD HH:MM:SS.fffffffff` (Go layout "2006-01-02 15:04:05.999999999").
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Format a Date as the SDK's local wall-clock datetime text (ms precision, 9 fraction digits). */
export function formatC1zTimestamp(date: Date): string {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day} ${time}.${pad(date.getMilliseconds(), 3)}000000`;
}

/**
 * A clock that formats at most once per millisecond: inserting millions of rows would otherwise
 * spend noticeable time building identical strings.
 */
export class CachedTimestampClock {
  private lastMs = -1;
  private lastText = '';

  now(): string {
    const ms = Date.now();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastText = formatC1zTimestamp(new Date(ms));
    }
    return this.lastText;
  }
}
