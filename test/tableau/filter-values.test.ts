/**
 * Lookups by name go through Tableau's filter grammar, which splits on `,` and `&` even when encoded:
 * a name holding one is refused before any request (never answered as "no match" or "owns nothing"),
 * while colons — which Tableau's grammar allows in values — still work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../pkg/tableau-sim/index.js';
import { TableauClient, type SiteClient } from '../../pkg/tableau/index.js';
import { ADMIN, FAST_RETRY, luid, scenario, site } from './scenario.js';

const COMMA_OWNER = 'Smith, John';
let sim: RunningSimulator;
let tableau: TableauClient;
let hr: SiteClient;

beforeAll(async () => {
  const hrSite = site(1, 'hr', 2);
  hrSite.users.push(
    { id: luid(17, 100), name: COMMA_OWNER, siteRole: 'Creator', ownedContent: { workbooks: 1 } },
    { id: luid(17, 101), name: 'corp:jane', siteRole: 'Viewer', ownedContent: { datasources: 2 } },
  );
  sim = await startSimulator({ data: scenario(site(0, '', 1), hrSite) });
  tableau = new TableauClient({ serverUrl: sim.url, credentials: { kind: 'pat', name: sim.info.pat.name, secret: sim.info.pat.secret }, retry: FAST_RETRY });
  hr = tableau.site('hr');
  await hr.siteId();
});

afterAll(async () => {
  await tableau.close();
  await sim.close();
});

function listingRequests(): number {
  const routes = sim.stats().byRoute;
  return Object.entries(routes).filter(([route]) => !route.includes('/auth/')).reduce((sum, [, n]) => sum + n, 0);
}

describe('filter values', () => {
  it('refuses to count content of an owner whose name a filter cannot carry', async () => {
    sim.resetStats();
    await expect(hr.countOwnedContent(COMMA_OWNER)).rejects.toMatchObject({ code: 'BAD_REQUEST', retryable: false });
    await expect(hr.countOwnedContent('a&b')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(listingRequests()).toBe(0);
  });

  it('refuses a user lookup by such a name', async () => {
    sim.resetStats();
    await expect(hr.findUserByName(COMMA_OWNER)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(listingRequests()).toBe(0);
  });

  it('keeps colons in values working', async () => {
    expect(await hr.countOwnedContent('corp:jane')).toEqual({ workbooks: 0, datasources: 2, flows: 0 });
    expect((await hr.findUserByName('CORP:Jane'))?.id).toBe(luid(17, 101));
    expect(await hr.countOwnedContent(ADMIN)).toEqual({ workbooks: 0, datasources: 0, flows: 0 });
  });
});
