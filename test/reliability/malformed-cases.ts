/**
 * Thirty malformed Tableau responses, each a rewrite of the simulator's real answer on one route (and
 * optionally one page). The client asks for JSON, so most cases edit the JSON document; XML-only
 * defects are served as XML documents, which the client also reads. Each case names a piece of the
 * endpoint the CLI's error line must mention.
 */

export interface MalformedCase {
  name: string;
  /** `/_sim/stats` route key the rewrite applies to. */
  route: string;
  /** Only this `pageNumber` (default: every response of the route). */
  page?: number;
  /** Text the error message must contain (a piece of the endpoint path). */
  endpoint: string;
  /** What the error line must also say, when the case is about one specific check. */
  problem?: RegExp;
  rewrite(body: string, seen: SeenBefore): { contentType?: string; body: string | Buffer };
}

/** What a clean run taught the test about the data (to build cross-page cases). */
export interface SeenBefore {
  /** `pageNumber` of the request being rewritten. */
  page: number;
  /** First user id of users page 1 in a clean run. */
  pageOneFirstUser: string;
  /** First member id of page 1 of the only several-page group ("All Users") in a clean run. */
  pageOneFirstMember: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const USERS = 'GET /sites/{}/users';
const GROUPS = 'GET /sites/{}/groups';
const MEMBERS = 'GET /sites/{}/groups/{}/users';

/** Parses the sim's JSON, lets `edit` change it, serialises it again. */
function json(edit: (doc: Json, seen: SeenBefore) => void): MalformedCase['rewrite'] {
  return (body, seen) => {
    const doc = JSON.parse(body) as Json;
    edit(doc, seen);
    return { body: JSON.stringify(doc) };
  };
}

const xml = (content: string): { contentType: string; body: string } => ({
  contentType: 'application/xml',
  body: `<?xml version="1.0" encoding="UTF-8"?><tsResponse xmlns="http://tableau.com/api">${content}</tsResponse>`,
});
const XML_PAGE = '<pagination pageNumber="1" pageSize="1000" totalAvailable="1"/>';

export const firstUserId = (body: string): string => {
  const doc = JSON.parse(body) as Json;
  return String(doc['users']?.['user']?.[0]?.['id'] ?? 'none');
};

const users = (doc: Json): Json[] => doc['users']['user'] as Json[];
const groups = (doc: Json): Json[] => doc['groups']['group'] as Json[];
const INVALID_UTF8 = Buffer.from([0x61, 0xc3, 0x28, 0xff, 0xfe]);

export const MALFORMED_CASES: MalformedCase[] = [
  { name: 'truncated JSON (complete HTTP body)', route: USERS, endpoint: '/users', rewrite: (b) => ({ body: b.slice(0, Math.floor(b.length / 2)) }) },
  { name: 'truncated XML (complete HTTP body)', route: USERS, endpoint: '/users', rewrite: () => ({ ...xml(`${XML_PAGE}<users><user id="u1" name="ann" siteRole="Viewer"/></users>`), body: xml(`${XML_PAGE}<users><user id="u1" na`).body.slice(0, 160) }) },
  { name: 'HTML error page with 200', route: USERS, endpoint: '/users', rewrite: () => ({ contentType: 'text/html', body: '<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>' }) },
  { name: 'wrong root element (XML)', route: USERS, endpoint: '/users', rewrite: () => ({ contentType: 'application/xml', body: `<tsRequest>${XML_PAGE}<users/></tsRequest>` }) },
  { name: 'wrong top-level JSON member', route: USERS, endpoint: '/users', rewrite: (b) => ({ body: `{"tsResponse":${b}}` }) },
  { name: 'missing pagination', route: USERS, endpoint: '/users', rewrite: json((d) => delete d['pagination']) },
  { name: 'non-numeric totalAvailable', route: USERS, endpoint: '/users', rewrite: json((d) => (d['pagination']['totalAvailable'] = 'lots')) },
  { name: 'negative totalAvailable', route: USERS, endpoint: '/users', rewrite: json((d) => (d['pagination']['totalAvailable'] = '-5')) },
  { name: 'fractional pageSize', route: USERS, endpoint: '/users', rewrite: json((d) => (d['pagination']['pageSize'] = '99.5')) },
  { name: 'duplicate ids across pages', route: USERS, page: 2, endpoint: '/users', problem: /is on page 1 and page 2/, rewrite: json((d, seen) => (users(d)[0]!['id'] = seen.pageOneFirstUser)) },
  // A page shorter than promised is a real server's habit, tolerated (test/reliability/listing-habits.test.ts).
  { name: 'a page longer than its page size', route: USERS, page: 1, endpoint: '/users', problem: /page 1 has 1001 user items, more than its page size 1000/, rewrite: json((d) => users(d).push({ id: '11111111-2222-4333-8444-555555555555', name: 'extra', siteRole: 'Viewer' })) },
  { name: 'a page longer than promised', route: USERS, page: 3, endpoint: '/users', rewrite: json((d) => users(d).push({ id: '11111111-2222-4333-8444-555555555555', name: 'extra', siteRole: 'Viewer' })) },
  { name: 'a user with no id', route: USERS, endpoint: '/users', rewrite: json((d) => delete users(d)[0]!['id']) },
  { name: 'a user with an empty id', route: USERS, endpoint: '/users', rewrite: json((d) => (users(d)[0]!['id'] = '')) },
  { name: 'a user id that is an object', route: USERS, endpoint: '/users', rewrite: json((d) => (users(d)[0]!['id'] = { nested: true })) },
  { name: 'a user with no siteRole', route: USERS, endpoint: '/users', rewrite: json((d) => delete users(d)[0]!['siteRole']) },
  { name: 'a user with no name', route: USERS, endpoint: '/users', rewrite: json((d) => delete users(d)[0]!['name']) },
  { name: 'an enormous attribute value (8 MiB name)', route: USERS, endpoint: '/users', problem: /characters long/, rewrite: json((d) => (users(d)[0]!['name'] = 'x'.repeat(8 * 1024 * 1024))) },
  {
    name: 'invalid UTF-8 in a name', route: USERS, endpoint: '/users', problem: /not valid UTF-8/,
    rewrite: (b) => {
      const at = b.indexOf('"name":"') + '"name":"'.length;
      return { body: Buffer.concat([Buffer.from(b.slice(0, at)), INVALID_UTF8, Buffer.from(b.slice(at))]) };
    },
  },
  { name: 'users list is a string', route: USERS, endpoint: '/users', rewrite: json((d) => (d['users'] = 'none')) },
  { name: 'an empty body with 200', route: USERS, endpoint: '/users', rewrite: () => ({ body: '' }) },
  { name: 'random binary bytes', route: USERS, endpoint: '/users', rewrite: () => ({ contentType: 'application/octet-stream', body: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)) }) },
  { name: 'JSON null', route: USERS, endpoint: '/users', rewrite: () => ({ body: 'null' }) },
  {
    name: 'XML entity expansion bomb (DOCTYPE)', route: USERS, endpoint: '/users', problem: /document type declarations/,
    rewrite: () => ({
      contentType: 'application/xml',
      body: '<?xml version="1.0"?><!DOCTYPE tsResponse [<!ENTITY a "aaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>' +
        `<tsResponse xmlns="http://tableau.com/api">${XML_PAGE}<users><user id="u1" name="&f;" siteRole="Viewer"/></users></tsResponse>`,
    }),
  },
  { name: 'a group with no id', route: GROUPS, endpoint: '/groups', rewrite: json((d) => delete groups(d)[0]!['id']) },
  { name: 'groups without pagination', route: GROUPS, endpoint: '/groups', rewrite: json((d) => delete d['pagination']) },
  { name: 'groups listing truncated', route: GROUPS, endpoint: '/groups', rewrite: (b) => ({ body: b.slice(0, b.length - 40) }) },
  { name: 'group members: a member with no id', route: MEMBERS, endpoint: '/users', rewrite: json((d) => delete users(d)[0]!['id']) },
  // Only "All Users" (2,500 members) has a page 2.
  { name: 'group members: duplicate ids across pages', route: MEMBERS, page: 2, endpoint: '/groups/', problem: /is on page 1 and page 2/, rewrite: json((d, seen) => (users(d)[0]!['id'] = seen.pageOneFirstMember)) },
  { name: 'group members: one member twice on a page', route: MEMBERS, endpoint: '/users', problem: /twice/, rewrite: json((d) => users(d).splice(1, 1, { ...users(d)[0] })) },
  { name: 'serverinfo without restApiVersion', route: 'GET /serverinfo', endpoint: '/serverinfo', rewrite: json((d) => delete d['serverInfo']['restApiVersion']) },
  { name: 'serverinfo as an HTML login page', route: 'GET /serverinfo', endpoint: '/serverinfo', rewrite: () => ({ contentType: 'text/html', body: '<html><form action="/login"></form></html>' }) },
  { name: 'sign-in answer without a token', route: 'POST /auth/signin', endpoint: '/auth/signin', rewrite: json((d) => delete d['credentials']['token']) },
  { name: 'sign-in answer without the site', route: 'POST /auth/signin', endpoint: '/auth/signin', rewrite: json((d) => delete d['credentials']['site']) },
  { name: 'site query without the site', route: 'GET /sites/{}', endpoint: '/sites/', rewrite: () => ({ body: '{"notASite":{}}' }) },
];
