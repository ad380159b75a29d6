import { describe, expect, it } from 'vitest';
import { buildJsonRequest, buildTsRequest, escapeXmlAttribute, parseTsResponse } from '../../pkg/tableau/xml-codec.js';
import {
  ShapeError, toErrorBody, toGroup, toIdentityPools, toPage, toServerInfo, toSession, toSite, toUser,
} from '../../pkg/tableau/normalize.js';
import type { Tree } from '../../pkg/tableau/xml-codec.js';

const NS = 'xmlns="http://tableau.com/api"';

function usersXml(count: number, total = count): string {
  let users = '';
  for (let i = 0; i < count; i++) {
    users += `<user id="id-${i}" name="user${i}@example.com" fullName="A &amp; B ${i}" email="u${i}@example.com" siteRole="Explorer"`
      + ` authSetting="TableauIDWithMFA" lastLogin="2026-01-01T00:00:00Z" futureAttribute="x"><domain name="local"/></user>`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?><tsResponse ${NS}><pagination pageNumber="1" pageSize="1000" totalAvailable="${total}"/><users>${users}</users></tsResponse>`;
}

describe('XML responses', () => {
  it('parses a users page with entities, unknown attributes and the domain child', () => {
    const page = toPage(parseTsResponse(usersXml(2)), 'users', 'user', toUser);
    expect(page.pagination).toEqual({ pageNumber: 1, pageSize: 1000, totalAvailable: 2 });
    expect(page.items[0]).toEqual({
      id: 'id-0', name: 'user0@example.com', fullName: 'A & B 0', email: 'u0@example.com', siteRole: 'Explorer',
      authSetting: 'TableauIDWithMFA', lastLogin: '2026-01-01T00:00:00Z', domainName: 'local',
    });
  });

  it('refuses a page whose item count or ids contradict its pagination', () => {
    // Fewer items than promised is a real server's habit: where the listing ends is listing-end.ts's call.
    expect(toPage(parseTsResponse(usersXml(2, 7)), 'users', 'user', toUser).items).toHaveLength(2);
    expect(() => toPage(parseTsResponse(usersXml(3, 2)), 'users', 'user', toUser)).toThrow(/page 1 has 3 user items; its pagination promises 2 of 2/);
    const small = usersXml(3).replace('pageSize="1000"', 'pageSize="2"');
    expect(() => toPage(parseTsResponse(small), 'users', 'user', toUser)).toThrow(/page 1 has 3 user items, more than its page size 2/);
    const twice = usersXml(2).replace('id="id-1"', 'id="id-0"');
    expect(() => toPage(parseTsResponse(twice), 'users', 'user', toUser)).toThrow(/lists user id-0 twice/);
    const long = usersXml(1).replace('name="user0@example.com"', `name="${'x'.repeat(70_000)}"`);
    expect(() => toPage(parseTsResponse(long), 'users', 'user', toUser)).toThrow(/name is 70000 characters long/);
    const bomb = `<?xml version="1.0"?><!DOCTYPE tsResponse [<!ENTITY a "aaaa">]>${usersXml(1).replace(/^<\?xml[^>]*\?>/, '')}`;
    expect(() => parseTsResponse(bomb)).toThrow(/document type declarations/);
  });

  it('treats a single item and a missing list as lists', () => {
    expect(toPage(parseTsResponse(usersXml(1)), 'users', 'user', toUser).items).toHaveLength(1);
    const empty = `<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="0"/></tsResponse>`;
    expect(toPage(parseTsResponse(empty), 'users', 'user', toUser).items).toEqual([]);
    const emptyList = `<tsResponse ${NS}><pagination pageNumber="1" pageSize="100" totalAvailable="0"/><users/></tsResponse>`;
    expect(toPage(parseTsResponse(emptyList), 'users', 'user', toUser).items).toEqual([]);
  });

  it('accepts namespace prefixes and legacy roles', () => {
    const xml = `<ts:tsResponse xmlns:ts="http://tableausoftware.com/api"><ts:user id="u1" name="old" role="Interactor"/></ts:tsResponse>`;
    const tree = parseTsResponse(xml);
    expect(toUser((tree['user'] as Tree[])[0]!)).toEqual({ id: 'u1', name: 'old', siteRole: 'Interactor' });
  });

  it('rejects truncated, HTML and wrong-root documents', () => {
    const full = usersXml(3);
    expect(() => parseTsResponse(full.slice(0, full.length - 40))).toThrow(/not a complete/);
    expect(() => parseTsResponse('<html><body>Gateway</body></html>')).toThrow();
    expect(() => parseTsResponse('<other></other>')).toThrow();
  });

  it('reports missing pagination, non-numeric totals and missing ids as shape errors', () => {
    expect(() => toPage(parseTsResponse(`<tsResponse><users/></tsResponse>`), 'users', 'user', toUser)).toThrow(ShapeError);
    const nan = `<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="lots"/></tsResponse>`;
    expect(() => toPage(parseTsResponse(nan), 'users', 'user', toUser)).toThrow(/totalAvailable/);
    const noId = `<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="1"/><users><user name="x" siteRole="Viewer"/></users></tsResponse>`;
    expect(() => toPage(parseTsResponse(noId), 'users', 'user', toUser)).toThrow(/without id/);
  });

  it('reads groups with import, sites with usage, credentials, serverinfo and errors', () => {
    const group = toGroup({ id: 'g', name: 'AD', userCount: '12', domain: { name: 'corp.example' }, import: { source: 'ActiveDirectory', siteRole: 'Viewer', grantLicenseMode: 'onSync' } });
    expect(group).toMatchObject({ domainName: 'corp.example', userCount: 12, minimumSiteRole: 'Viewer', grantLicenseMode: 'onSync' });
    const site = toSite({ id: 's', name: 'S', contentUrl: 'sales', userQuota: '50', usage: { numUsers: '3', numCreators: 1 } });
    expect(site).toMatchObject({ contentUrl: 'sales', userQuota: 50, usage: { numUsers: 3, numCreators: 1 } });
    const creds = parseTsResponse(`<tsResponse ${NS}><credentials token="t"><site id="s1" contentUrl=""/><user id="u1"/></credentials></tsResponse>`);
    expect(toSession(creds)).toEqual({ token: 't', siteId: 's1', siteContentUrl: '', userId: 'u1' });
    const info = parseTsResponse(`<tsResponse ${NS}><serverInfo><productVersion build="2026.1">2026.2.0</productVersion><restApiVersion>3.27</restApiVersion></serverInfo></tsResponse>`);
    expect(toServerInfo(info)).toEqual({ restApiVersion: '3.27', productVersion: '2026.2.0', build: '2026.1' });
    const error = parseTsResponse(`<tsResponse ${NS}><error code="409011"><summary>Conflict</summary><detail>already a member</detail></error></tsResponse>`);
    expect(toErrorBody(error)).toEqual({ code: '409011', summary: 'Conflict', detail: 'already a member' });
  });
});

describe('JSON responses (same tree, no tsResponse wrapper)', () => {
  it('normalises JSON users, numbers as strings or numbers, empty lists', () => {
    const body = JSON.parse('{"pagination":{"pageNumber":"2","pageSize":100,"totalAvailable":"101"},"users":{"user":[{"id":"a","name":"n","siteRole":"Viewer","domain":{"name":"local"}}]}}');
    expect(toPage(body, 'users', 'user', toUser)).toEqual({
      pagination: { pageNumber: 2, pageSize: 100, totalAvailable: 101 },
      items: [{ id: 'a', name: 'n', siteRole: 'Viewer', domainName: 'local' }],
    });
    expect(toPage(JSON.parse('{"pagination":{"pageNumber":"1","pageSize":"100","totalAvailable":"0"},"users":{}}'), 'users', 'user', toUser).items).toEqual([]);
    const info = JSON.parse('{"serverInfo":{"productVersion":{"value":"2025.3.0","build":"b"},"restApiVersion":"3.27"}}');
    expect(toServerInfo(info)).toEqual({ restApiVersion: '3.27', productVersion: '2025.3.0', build: 'b' });
  });

  it('normalises identity pools from the authn-service JSON', () => {
    const pools = toIdentityPools({ pools: [{ identity_pool_id: { value: 'p-1' }, identity_pool_name: 'Contractors', is_enabled: true, description: 'ext', identity_store_type: 'LOCAL', auth_type: 'OIDC' }] });
    expect(pools).toEqual([{ id: 'p-1', name: 'Contractors', isEnabled: true, description: 'ext', identityStoreType: 'LOCAL', authType: 'OIDC' }]);
    expect(toIdentityPools({})).toEqual([]);
    expect(() => toIdentityPools({ pools: [{ identity_pool_name: 'x' }] })).toThrow(ShapeError);
  });
});

describe('requests', () => {
  it('builds XSD-shaped XML with escaped attributes and the JSON mirror', () => {
    const body = { credentials: { name: 'a"<&>\'', password: undefined, site: { contentUrl: '' } } };
    expect(buildTsRequest(body)).toBe('<tsRequest><credentials name="a&quot;&lt;&amp;&gt;&apos;"><site contentUrl=""/></credentials></tsRequest>');
    expect(buildTsRequest({ users: { user: [{ id: '1' }, { id: '2' }] } })).toBe('<tsRequest><users><user id="1"/><user id="2"/></users></tsRequest>');
    expect(JSON.parse(buildJsonRequest({ users: { user: [{ id: '1' }] } }))).toEqual({ users: { user: [{ id: '1' }] } });
    expect(escapeXmlAttribute('a\nb')).toBe('a&#10;b');
  });

  it('round-trips an escaped attribute through the parser', () => {
    const name = `O'Brien & "Sons" <x>`;
    const xml = `<tsResponse><user id="1" name="${escapeXmlAttribute(name)}" siteRole="Viewer"/></tsResponse>`;
    expect(toUser((parseTsResponse(xml)['user'] as Tree[])[0]!).name).toBe(name);
  });
});
