/**
 * serverinfo, sign-in (PAT, connected-app JWT, username/password), sign-out, switchSite, sessions/current.
 */
import { body, caller, isServerAdmin, noContent, sessionOf, versionNumber, type Reply, type RequestCtx } from './context.js';
import { SimError, badRequest, forbidden, signInFailed, siteNotFound } from './errors.js';
import { verifyConnectedAppJwt } from './jwt.js';
import { attr, child, type BodyTree } from './request-body.js';
import type { Route } from './router.js';
import type { Session, SessionKind } from './sessions.js';
import type { SiteStore } from './site-store.js';

function serverInfo(ctx: RequestCtx): Reply {
  const build = '20262.26.0512.0830';
  return { status: 200, pieces: [{ tag: 'serverInfo', children: [
    { tag: 'productVersion', attrs: { build }, text: ctx.settings.productVersion },
    { tag: 'prepConductorVersion', text: build },
    { tag: 'restApiVersion', text: ctx.settings.apiVersion },
  ] }] };
}

interface Identity {
  username: string;
  kind: SessionKind;
  patName: string | null;
  scopes: string[] | null;
}

function requireVersion(ctx: RequestCtx, min: string, what: string): void {
  if (ctx.version < versionNumber(min)) throw badRequest(`${what} sign-in requires REST API version ${min} or later.`);
}

function identify(ctx: RequestCtx, creds: BodyTree): Identity {
  const accepted = ctx.world.credentials;
  const patName = attr(creds, 'personalAccessTokenName');
  if (patName !== undefined) {
    requireVersion(ctx, '3.6', 'Personal access token');
    if (patName !== accepted.patName || attr(creds, 'personalAccessTokenSecret') !== accepted.patSecret) throw signInFailed();
    return { username: accepted.adminUsername, kind: 'pat', patName, scopes: null };
  }
  const jwt = attr(creds, 'jwt');
  if (jwt !== undefined) {
    requireVersion(ctx, '3.17', 'Connected app');
    const verified = verifyConnectedAppJwt(jwt, accepted.connectedApp, ctx.sessions.usedJtis, Math.floor(Date.now() / 1000));
    if (!verified) throw signInFailed();
    return { username: verified.username, kind: 'jwt', patName: null, scopes: verified.scopes };
  }
  const name = attr(creds, 'name');
  if (name !== undefined) {
    if (name.toLowerCase() !== accepted.adminUsername.toLowerCase() || attr(creds, 'password') !== accepted.adminPassword) {
      throw signInFailed();
    }
    return { username: name, kind: 'password', patName: null, scopes: null };
  }
  throw badRequest('The credentials element has no personal access token, jwt or name.');
}

function credentialsReply(ctx: RequestCtx, session: Session): Reply {
  const { meta } = session.site;
  return { status: 200, pieces: [{ tag: 'credentials', attrs: { token: session.token,
    estimatedTimeToExpiration: ctx.sessions.ttlText() }, children: [
    { tag: 'site', attrs: { id: meta.id, contentUrl: meta.contentUrl } },
    { tag: 'user', attrs: { id: session.userId } },
  ] }] };
}

function openSession(ctx: RequestCtx, site: SiteStore, who: Identity): Session {
  const user = site.userByName(who.username);
  if (!user) throw signInFailed();
  return ctx.sessions.create({ site, userId: user.id, kind: who.kind, patName: who.patName, scopes: who.scopes });
}

function signIn(ctx: RequestCtx): Reply {
  const creds = child(body(ctx), 'credentials');
  if (!creds) throw badRequest('The request body must contain a credentials element.');
  const who = identify(ctx, creds);
  const asked = ctx.world.siteByContentUrl(attr(child(creds, 'site'), 'contentUrl') ?? '');
  if (!asked) throw signInFailed();
  const site = ctx.signInOtherSite?.() ? (ctx.world.sites.find((s) => s !== asked) ?? asked) : asked;
  return credentialsReply(ctx, openSession(ctx, site, who));
}

function signOut(ctx: RequestCtx): Reply {
  const header = ctx.headers['x-tableau-auth'];
  if (typeof header === 'string') ctx.sessions.revoke(header);
  return noContent;
}

function switchSite(ctx: RequestCtx): Reply {
  const current = sessionOf(ctx);
  if (ctx.settings.cloud) throw forbidden('Switch site is not available on Tableau Cloud; sign in to each site.');
  if (!isServerAdmin(ctx)) throw forbidden('Only server administrators can switch sites.');
  const contentUrl = attr(child(body(ctx), 'site'), 'contentUrl') ?? '';
  const site = ctx.world.siteByContentUrl(contentUrl);
  if (!site) throw siteNotFound(contentUrl);
  if (site === current.site) throw new SimError('403070', 'Bad Request', 'The user is already signed in to this site.');
  const user = caller(ctx);
  const next = openSession(ctx, site, { username: user?.name ?? '', kind: current.kind,
    patName: current.patName, scopes: current.scopes });
  if (current.kind === 'pat') ctx.sessions.revoke(current.token);
  return credentialsReply(ctx, next);
}

function currentSession(ctx: RequestCtx): Reply {
  const session = sessionOf(ctx);
  const user = caller(ctx);
  const { meta } = session.site;
  return { status: 200, pieces: [{ tag: 'session', children: [
    { tag: 'site', attrs: { id: meta.id, name: meta.name, contentUrl: meta.contentUrl } },
    { tag: 'user', attrs: { id: session.userId, name: user?.name, siteRole: user?.siteRole } },
  ] }] };
}

export const authRoutes: Route[] = [
  { method: 'GET', path: /^\/serverinfo$/i, auth: false, handle: serverInfo },
  { method: 'POST', path: /^\/auth\/signin$/i, auth: false, handle: signIn },
  { method: 'POST', path: /^\/auth\/signout$/i, auth: false, handle: signOut },
  { method: 'POST', path: /^\/auth\/switchsite$/i, auth: true, minVersion: '2.6', handle: switchSite },
  { method: 'GET', path: /^\/sessions\/current$/, auth: true, minVersion: '3.1', handle: currentSession },
];
