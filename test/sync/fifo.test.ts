import { expect, test } from 'vitest';
import { Fifo } from '../../pkg/sync/fifo.js';

test('keeps first-in first-out order across the dropping of its consumed prefix', () => {
  const fifo = new Fifo<number>();
  const out: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    fifo.push(i);
    // Take two for every three pushed, so the consumed prefix is dropped many times mid-run.
    if (i % 3 !== 2) out.push(fifo.shift() as number);
  }
  expect(fifo.peek()).toBe(out.length);
  while (fifo.size > 0) out.push(fifo.shift() as number);
  expect(fifo.shift()).toBeUndefined();
  expect(out).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
});
