/**
 * The simulator's session store stays bounded in long runs: idle-expired sessions of every kind and
 * JWT ids whose `exp` has passed are pruned a few at a time on each sign-in and request.
 */
import { expect, test } from 'vitest';
import { SessionStore } from '../../pkg/tableau-sim/sessions.js';
import type { SiteStore } from '../../pkg/tableau-sim/site-store.js';

// The store only keeps the site for the routes; it never reads it.
const site = {} as SiteStore;
const passwordSession = { site, userId: 'u1', kind: 'password' as const, patName: null, scopes: null };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('idle-expired password and JWT sessions are pruned on later sign-ins', async () => {
  const store = new SessionStore(50);
  for (let i = 0; i < 40; i++) store.create(i % 2 ? passwordSession : { ...passwordSession, kind: 'jwt', scopes: [] });
  await sleep(100);
  for (let i = 0; i < 5; i++) store.create(passwordSession);
  expect(store.size).toBeLessThanOrEqual(5);
});

test('a session in use is kept while idle ones expire around it', async () => {
  const store = new SessionStore(500);
  const busy = store.create(passwordSession);
  for (let i = 0; i < 10; i++) store.create(passwordSession);
  await sleep(300);
  store.resolve(busy.token);
  await sleep(300);
  store.create(passwordSession);
  expect(store.resolve(busy.token)).toBe(busy);
  expect(store.size).toBe(2);
});

test('JWT ids are forgotten once their exp has passed, not before', () => {
  const store = new SessionStore(60_000);
  const nowS = Math.floor(Date.now() / 1000);
  for (let i = 0; i < 10; i++) store.usedJtis.set(`old-${i}`, nowS - 1);
  store.usedJtis.set('live', nowS + 600);
  store.create(passwordSession);
  expect([...store.usedJtis.keys()]).toEqual(['live']);
});
