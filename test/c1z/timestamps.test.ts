import { expect, test } from 'vitest';
import { formatC1zTimestamp } from '../../pkg/c1z/index.js';

test('formats local wall-clock time with nine fraction digits, like the SDK', () => {
  // new Date(y, m, ...) is local time, which is what the SDK writes (no zone).
  expect(formatC1zTimestamp(new Date(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05.006000000');
  expect(formatC1zTimestamp(new Date(2026, 10, 22, 23, 59, 59, 999))).toBe('2026-11-22 23:59:59.999000000');
});
