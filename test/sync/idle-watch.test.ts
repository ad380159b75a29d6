import { describe, expect, test } from 'vitest';
import { utilisationSince, watchForIdle } from '../../pkg/sync/idle-watch.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps this thread busy for `ms`, in slices that still let timers run. */
async function spin(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const slice = performance.now() + 5;
    while (performance.now() < slice) {
      // busy
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('watchForIdle', () => {
  test('calls back once after enough idle windows, not before', async () => {
    let calls = 0;
    const stop = watchForIdle(() => calls++, { windowMs: 50, windows: 3 });
    // Two windows at most have passed: timers can run late, never early.
    await sleep(120);
    expect(calls).toBe(0);
    await sleep(400);
    stop();
    expect(calls).toBe(1);
  });

  test('does not call back while the thread is busy, nor after stop()', async () => {
    let calls = 0;
    const stop = watchForIdle(() => calls++, { windowMs: 20, windows: 2, threshold: 0.5 });
    await spin(200);
    expect(calls).toBe(0);
    stop();
    await sleep(100);
    expect(calls).toBe(0);
  });
});

describe('utilisationSince', () => {
  test('is near 1 over busy work and near 0 over waiting', async () => {
    const busy = utilisationSince();
    await spin(100);
    expect(busy()).toBeGreaterThan(0.8);
    const idle = utilisationSince();
    await sleep(100);
    expect(idle()).toBeLessThan(0.5);
  });
});
