import { expect, test } from 'vitest';
import { ksuidTime, newKsuid } from '../../pkg/c1z/index.js';

test('decodes the timestamp of a known KSUID (segmentio/ksuid README example)', () => {
  // Raw 0669F7EF B5A1CD34B5F99D1154FB6853345C9735: timestamp 107608047 = 2017-10-10T04:00:47Z.
  expect(ksuidTime('0ujtsYcgvSTl8PAuAdqWYSMnLOv').toISOString()).toBe('2017-10-10T04:00:47.000Z');
});

test('new KSUIDs are 27 base62 characters, carry their time and sort by it', () => {
  const early = newKsuid(new Date('2020-01-01T00:00:00Z'));
  const late = newKsuid(new Date('2026-11-22T06:00:00Z'));
  for (const id of [early, late]) expect(id).toMatch(/^[0-9A-Za-z]{27}$/);
  expect(ksuidTime(early).toISOString()).toBe('2020-01-01T00:00:00.000Z');
  expect(ksuidTime(late).toISOString()).toBe('2026-11-22T06:00:00.000Z');
  expect(early < late).toBe(true);
  expect(newKsuid()).not.toBe(newKsuid());
});

test('rejects strings that are not KSUIDs', () => {
  expect(() => ksuidTime('short')).toThrow(/not a KSUID/);
  expect(() => ksuidTime('0ujtsYcgvSTl8PAuAdqWYSMnLO!')).toThrow(/not a KSUID/);
});
