/** Page tokens, role slugs and tiers, the compact users cache. Budget: < 1 s. */
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../pkg/connector/errors.js';
import { decodePageToken, encodePageToken, nextPageToken } from '../../pkg/connector/page-token.js';
import { isDisabledRole, licenseTierOf, roleSlug } from '../../pkg/connector/site/roles.js';
import { SyncCache } from '../../pkg/connector/sync-cache.js';

function statusOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof ConnectorError ? err.status : 'not a ConnectorError';
  }
}

describe('page tokens', () => {
  it('round-trip and stay small', () => {
    const token = encodePageToken({ k: 'users', p: 7 });
    expect(decodePageToken(token, 'users')).toEqual({ k: 'users', p: 7 });
    expect(token.length).toBeLessThan(40);
    expect(decodePageToken('', 'users')).toEqual({ k: 'users', p: 1 });
    expect(nextPageToken({ k: 'users', p: 2 }, false)).toBe('');
  });

  it('refuse corrupt tokens and tokens of another listing with INVALID_ARGUMENT', () => {
    const corrupt = ['%%%', 'bm90IGpzb24', encodePageToken({ k: 'users', p: 0 }), Buffer.from('{"k":"users","p":"2"}').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'), 'a'.repeat(5000)];
    for (const token of corrupt) expect(statusOf(() => decodePageToken(token, 'users'))).toBe('INVALID_ARGUMENT');
    expect(statusOf(() => decodePageToken(encodePageToken({ k: 'groups', p: 2 }), 'users'))).toBe('INVALID_ARGUMENT');
  });
});

describe('site roles', () => {
  it('keep the Go connector slugs and give other roles lower-case words', () => {
    expect(roleSlug('SiteAdministratorCreator')).toBe('site administrator creator');
    expect(roleSlug('ReadOnly')).toBe('readonly');
    expect(roleSlug('SupportUser')).toBe('support user');
    expect(roleSlug('ViewerWithPublish')).toBe('viewer with publish');
    expect(roleSlug('Publisher')).toBe('publisher');
    expect(roleSlug('')).toBe('unknown role');
    expect(roleSlug('Odd:Role')).toBe('odd role');
  });

  it('map roles to license tiers (unknown roles count as unlicensed)', () => {
    expect(licenseTierOf('ServerAdministrator')).toBe('creator');
    expect(licenseTierOf('Publisher')).toBe('explorer');
    expect(licenseTierOf('SupportUser')).toBe('viewer');
    expect(licenseTierOf('Guest')).toBe('unlicensed');
    expect(licenseTierOf('SomethingNew')).toBe('unlicensed');
    expect(isDisabledRole('Unlicensed')).toBe(true);
    expect(isDisabledRole('Viewer')).toBe(false);
  });
});

describe('sync cache', () => {
  it('keeps [id, role] pairs of a page and shares nothing without a sync id', async () => {
    const cache = new SyncCache();
    expect(cache.forSync('')).toBeUndefined();
    const state = cache.forSync('s1');
    if (state === undefined) throw new Error('no state');
    const page = state.compact(1, true, [{ id: 'u-1', siteRole: 'Viewer' }, { id: 'u-22', siteRole: 'Creator' }]);
    state.putUserPage('site', page);
    const again = await state.userPage('site', 1, () => Promise.reject(new Error('must not load')));
    expect([again.userId(0), again.siteRole(0), again.userId(1), again.siteRole(1), again.hasMore]).toEqual(['u-1', 'Viewer', 'u-22', 'Creator', true]);
    cache.drop('s1');
    expect(cache.size).toBe(0);
  });

  it('keeps a bounded number of syncs when Cleanup never comes', () => {
    const cache = new SyncCache();
    for (let i = 0; i < 10; i++) cache.forSync(`sync-${i}`);
    expect(cache.size).toBeLessThanOrEqual(4);
  });
});
