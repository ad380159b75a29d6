import { describe, expect, it } from 'vitest';
import { FifoGate, Semaphore } from '../../pkg/util/semaphore.js';

/** Lets every already-settled promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  it('admits up to the limit and then strictly in arrival order', async () => {
    const sem = new Semaphore(2);
    const order: number[] = [];
    const a = await sem.acquire();
    const b = await sem.acquire();
    const waiting = [3, 4, 5].map((n) => sem.acquire().then((release) => (order.push(n), release)));
    await settle();
    expect(order).toEqual([]);
    expect(sem.inUse).toBe(2);
    a();
    await settle();
    expect(order).toEqual([3]);
    b();
    await settle();
    expect(order).toEqual([3, 4]);
    (await waiting[0]!)();
    await settle();
    expect(order).toEqual([3, 4, 5]);
  });

  it('a second call of a release function gives nothing back twice', async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    release();
    release();
    expect(sem.inUse).toBe(0);
    await sem.acquire();
    let second = false;
    void sem.acquire().then(() => (second = true));
    await settle();
    expect(second).toBe(false);
  });

  it('a waiter that aborts leaves the line with the reason (or the error it asked for)', async () => {
    const sem = new Semaphore(1);
    const held = await sem.acquire();
    const plain = new AbortController();
    const custom = new AbortController();
    const first = sem.acquire({ signal: plain.signal });
    const second = sem.acquire({ signal: custom.signal, abortError: (reason) => new Error(`gave up: ${String(reason)}`) });
    let thirdIn = false;
    const third = sem.acquire().then((release) => ((thirdIn = true), release));
    plain.abort('stop');
    custom.abort('later');
    await expect(first).rejects.toBe('stop');
    await expect(second).rejects.toThrow('gave up: later');
    held();
    (await third)();
    expect(thirdIn).toBe(true);
    expect(sem.inUse).toBe(0);
  });

  it('refuses at once when the signal has already fired, even with room', async () => {
    const sem = new Semaphore(1);
    await expect(sem.acquire({ signal: AbortSignal.abort('done') })).rejects.toBe('done');
    expect(sem.inUse).toBe(0);
  });

  it('a raised limit admits waiters at once; a lowered one admits nobody until enough leave', async () => {
    const sem = new Semaphore(2);
    const first = await sem.acquire();
    const second = await sem.acquire();
    let admitted = 0;
    const waiter = sem.acquire().then((release) => (admitted++, release));
    sem.limit = 3;
    await settle();
    expect(admitted).toBe(1);
    sem.limit = 1;
    const late = sem.acquire().then((release) => (admitted++, release));
    first();
    second();
    await settle();
    expect(admitted).toBe(1);
    (await waiter)();
    await settle();
    expect(admitted).toBe(2);
    (await late)();
  });

  it('a newcomer does not overtake a waiter even when it alone would fit', async () => {
    // A keyed gate (as the site gate uses it): tickets of the current key share, another key waits.
    let current = '';
    let inside = 0;
    const gate = new FifoGate<string>((key) => inside === 0 || key === current, (key) => ((current = key), inside++));
    await gate.enter('a');
    const order: string[] = [];
    const b = gate.enter('b').then(() => order.push('b'));
    const a2 = gate.enter('a').then(() => order.push('a2'));
    await settle();
    expect(order).toEqual([]);
    expect(gate.waiting).toBe(2);
    inside--;
    gate.pump();
    await b;
    expect(order).toEqual(['b']);
    inside--;
    gate.pump();
    await a2;
    expect(order).toEqual(['b', 'a2']);
  });

  it('a waiter that leaves the head of the line lets those behind it in', async () => {
    let current = '';
    let inside = 0;
    const gate = new FifoGate<string>((key) => inside === 0 || key === current, (key) => ((current = key), inside++));
    await gate.enter('a');
    const leaving = new AbortController();
    const b = gate.enter('b', { signal: leaving.signal });
    let a2In = false;
    const a2 = gate.enter('a').then(() => (a2In = true));
    await settle();
    expect(a2In).toBe(false);
    leaving.abort(new Error('left'));
    await expect(b).rejects.toThrow('left');
    await a2;
    expect(a2In).toBe(true);
  });
});
