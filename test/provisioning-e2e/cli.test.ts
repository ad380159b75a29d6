/**
 * The one-shot provisioning modes of the built CLI against the simulator: ids resolved against live
 * Tableau, the response printed as protojson on stdout, the change visible in the ground truth, exit
 * codes 0 / 1 / 2 (budget: ~10 s after the build).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../pkg/tableau-sim/index.js';
import type { SimState } from '../../pkg/tableau-sim/types.js';
import { buildDist, runCli, type CliRun } from '../cli/run-cli.js';
import { group, scenario, SITE, user } from './harness.js';

const ALICE = user(1);
const CAROL = user(2);
const OWNER = user(3);
const TEAM = group(1);
const data = scenario(
  [
    { id: ALICE, name: 'alice', siteRole: 'Viewer' },
    { id: CAROL, name: 'carol', siteRole: 'SiteAdministratorExplorer' },
    { id: OWNER, name: 'olivia', siteRole: 'Creator', ownedContent: { workbooks: 1, datasources: 2, flows: 0 } },
    { id: user(4), name: 'hana', siteRole: 'Creator' },
  ],
  [{ id: TEAM, name: 'Team' }],
);

let sim: Awaited<ReturnType<typeof startSimulator>>;
let env: Record<string, string>;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, host: '127.0.0.1', data });
  env = {
    BATON_SERVER_PATH: sim.url,
    BATON_ACCESS_TOKEN_NAME: sim.info.pat.name,
    BATON_ACCESS_TOKEN_SECRET: sim.info.pat.secret,
    BATON_LOG_FORMAT: 'json',
  };
  await buildDist();
}, 240_000);
afterAll(async () => {
  await sim?.close();
});

const cli = (args: string[]): Promise<CliRun> => runCli(args, { env, timeoutMs: 30_000 });
const json = (run: CliRun): Record<string, unknown> => JSON.parse(run.stdout) as Record<string, unknown>;
const state = async (): Promise<SimState['sites'][number]> => ((await sim.state()) as SimState).sites[0] as SimState['sites'][number];
const roleOf = async (id: string): Promise<string | undefined> => (await state()).users.find((u) => u.id === id)?.siteRole;
const isMember = async (id: string): Promise<boolean> => (await state()).memberships.some((m) => m.groupId === TEAM && m.userId === id);
const annotationTypes = (run: CliRun): string[] =>
  ((json(run)['annotations'] as { '@type': string }[] | undefined) ?? []).map((a) => a['@type'].replace(/^.*\./, ''));

const grantArgs = (entitlement: string, principal: string) => ['-p', '--grant-entitlement', entitlement, '--grant-principal', principal, '--grant-principal-type', 'user'];

describe('one-shot grant and revoke', () => {
  it('grants a group membership, prints the grant, and revokes it by grant id', async () => {
    const granted = await cli(grantArgs(`group:${TEAM}:member`, ALICE));
    expect(granted.code, granted.stderr).toBe(0);
    const grants = json(granted)['grants'] as { id: string; entitlement: { displayName: string } }[];
    expect(grants.map((g) => g.id)).toEqual([`group:${TEAM}:member:user:${ALICE}`]);
    expect(grants[0]?.entitlement.displayName).toBe('Team Group member');
    expect(await isMember(ALICE)).toBe(true);
    expect(granted.stderr).toContain('"audit"');
    expect(granted.stderr).not.toContain(sim.info.pat.secret);

    const revoked = await cli(['-p', '--revoke-grant', `group:${TEAM}:member:user:${ALICE}`]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(json(revoked)).toEqual({});
    expect(await isMember(ALICE)).toBe(false);
    const again = await cli(['-p', '--revoke-grant', `group:${TEAM}:member:user:${ALICE}`]);
    expect(annotationTypes(again)).toEqual(['GrantAlreadyRevoked']);
  });

  it('resolves site-role slugs with spaces and word license ids', async () => {
    const role = await cli(grantArgs(`site:${SITE}:explorer can publish`, ALICE));
    expect(role.code, role.stderr).toBe(0);
    expect(annotationTypes(role)).toEqual(['GrantReplaced']);
    expect(await roleOf(ALICE)).toBe('ExplorerCanPublish');
    const tier = await cli(grantArgs('license:creator:member', CAROL));
    expect(tier.code, tier.stderr).toBe(0);
    expect(await roleOf(CAROL)).toBe('SiteAdministratorCreator');
  });

  it('exits 1 with the reason on stderr when the entitlement does not exist', async () => {
    const run = await cli(grantArgs(`group:${TEAM}:owner`, ALICE));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/grant failed: NOT_FOUND: group .* has no entitlement "owner"/);
  });

  it('with --dry-run prints the planned calls and changes nothing', async () => {
    const before = await sim.state();
    const run = await cli(['--dry-run', ...grantArgs(`site:${SITE}:creator`, ALICE)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('"dryRun":true');
    expect(await sim.state()).toEqual(before);
  });
});

describe('one-shot accounts', () => {
  it('creates an account from login, email and profile, then answers already exists', async () => {
    const args = ['-p', '--create-account-login', 'nina', '--create-account-email', 'nina@example.com', '--create-account-profile', '{"site_role":"Explorer"}'];
    const created = await cli(args);
    expect(created.code, created.stderr).toBe(0);
    const id = ((json(created)['success'] as { resource: { id: { resource: string } } }).resource.id.resource);
    expect((await state()).users.find((u) => u.id === id)).toMatchObject({ name: 'nina', email: 'nina@example.com', siteRole: 'Explorer' });
    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(json(again)['alreadyExists']).toBeDefined();
  });

  it('refuses to delete a content owner (exit 1), removes it with a successor', async () => {
    const blocked = await cli(['-p', '--delete-resource', OWNER, '--delete-resource-type', 'user']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/FAILED_PRECONDITION: user olivia owns 1 workbooks, 2 data sources/);
    expect(await roleOf(OWNER)).toBe('Creator');
    const removed = await cli(['-p', '--delete-resource', OWNER, '--delete-resource-type', 'user', '--deprovision-policy', 'remove', '--map-assets-to', 'hana']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(annotationTypes(removed)).toEqual(['ResourceDeleted', 'GrantMetadata']);
    expect(await roleOf(OWNER)).toBeUndefined();
  });
});

describe('usage errors (exit 2)', () => {
  it('names the missing -p and every other problem at once, touching nothing', async () => {
    const before = await sim.state();
    const run = await cli(['--grant-entitlement', `group:${TEAM}:member`, '--grant-principal', ALICE, '--revoke-grant', 'x', '--dry-run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--grant-entitlement needs --provisioning (-p)');
    expect(run.stderr).toContain('--revoke-grant needs --provisioning (-p)');
    expect(run.stderr).toContain('--dry-run needs --provisioning (-p)');
    expect(run.stderr).toContain('missing --grant-principal-type');
    expect(run.stderr).toContain('mutually exclusive');
    expect(run.stdout).toBe('');
    expect(await sim.state()).toEqual(before);
  });

  it('reports a profile that is not a JSON object and an unknown policy', async () => {
    const run = await cli(['-p', '--create-account-login', 'a', '--create-account-email', 'a@x', '--create-account-profile', '[1]', '--deprovision-policy', 'nuke']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--create-account-profile must be a JSON object');
    expect(run.stderr).toContain('--deprovision-policy "nuke" is not one of remove, unlicense, block-if-owner');
  });
});
