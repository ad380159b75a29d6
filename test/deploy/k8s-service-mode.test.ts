/**
 * k8s/service-mode/: ConductorOne's recipe for a self-hosted connector (a Secret read whole with
 * envFrom, a Deployment labelled `baton: "true"` / `baton-app: tableau` that passes no command or
 * args), with this project's hardening. The base manifests name their subcommand explicitly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseDurationMs } from '../../pkg/service/duration.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function load(dir: string): { file: string; doc: Obj }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => {
        expect(d.errors, file).toEqual([]);
        return { file, doc: d.toJS() as Obj };
      }),
    );
}

const DIR = 'k8s/service-mode';
const docs = load(DIR);
const only = (kind: string, from = docs): Obj => {
  const found = from.filter((d) => d.doc.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!.doc;
};
const secret = only('Secret');
const deployment = only('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const envOf = (c: Obj): Record<string, string> => Object.fromEntries((c.env ?? []).map((e: Obj) => [e.name, String(e.value)]));

describe('k8s/service-mode (ConductorOne service mode)', () => {
  it('is a kustomization listing every manifest, in its own namespace', () => {
    const kustomization = only('Kustomization');
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(kustomization.namespace).toBe(only('Namespace').metadata.name);
    expect(only('Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('keeps the ConductorOne and Tableau settings in one Secret, every value a string', () => {
    const keys = Object.keys(secret.stringData);
    expect(keys).toEqual(expect.arrayContaining([
      'BATON_CLIENT_ID', 'BATON_CLIENT_SECRET', 'BATON_ACCESS_TOKEN_NAME', 'BATON_ACCESS_TOKEN_SECRET',
      'BATON_SERVER_PATH', 'BATON_SITE_ID',
    ]));
    // A bare `true` would be a YAML boolean, which Kubernetes rejects in stringData.
    for (const value of Object.values(secret.stringData)) expect(typeof value).toBe('string');
    // Provisioning is offered, but off until the operator opts in.
    expect(keys).not.toContain('BATON_PROVISIONING');
    expect(readFileSync(join(DIR, 'secret.yaml'), 'utf8')).toMatch(/^\s*# BATON_PROVISIONING: "true"$/m);
  });

  it('labels the pods as ConductorOne expects (string label values)', () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(labels).toMatchObject({ baton: 'true', 'baton-app': 'tableau' });
    for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) expect(labels[key]).toBe(value);
  });

  it('starts the image with no command and no args, configured only from env (envFrom the Secret)', () => {
    expect(container.command).toBeUndefined();
    expect(container.args).toBeUndefined();
    expect(container.envFrom).toEqual([{ secretRef: { name: secret.metadata.name } }]);
    const env = envOf(container);
    expect(env['BATON_HOST_ID']).toBe('baton-tableau');
    for (const name of Object.keys(env)) expect(name, 'secrets stay in the Secret').not.toMatch(/SECRET|TOKEN|PASSWORD/);
  });

  it('runs hardened: non-root, read-only root filesystem, no capabilities, resources set', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    for (const part of ['requests', 'limits']) expect(Object.keys(container.resources[part])).toEqual(expect.arrayContaining(['cpu', 'memory']));
  });

  it('gives full syncs a writable /tmp (emptyDir) for the c1z, and nothing else writable', () => {
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    const tmp = pod.volumes.find((v: Obj) => v.name === 'tmp');
    expect(tmp.emptyDir).toBeDefined();
  });

  it('probes /healthz and /readyz on BATON_HTTP_LISTEN, and outlasts the shutdown timeout', () => {
    const port = container.ports.find((p: Obj) => p.name === container.readinessProbe.httpGet.port);
    expect(envOf(container)['BATON_HTTP_LISTEN']).toBe(`0.0.0.0:${port.containerPort}`);
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    const shutdownMs = parseDurationMs(envOf(container)['BATON_SHUTDOWN_TIMEOUT'] ?? '');
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(shutdownMs!);
  });

  it('runs one replica with Recreate (one PAT, one Tableau session)', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe('Recreate');
  });

  it('allows egress to DNS and HTTPS only, and no ingress but metrics', () => {
    const policy = only('NetworkPolicy');
    expect(policy.spec.podSelector.matchLabels).toEqual({ 'baton-app': 'tableau' });
    expect(policy.spec.ingress.flatMap((r: Obj) => r.ports.map((p: Obj) => p.port))).toEqual([8080]);
    expect(policy.spec.egress.flatMap((r: Obj) => r.ports.map((p: Obj) => p.port)).sort()).toEqual([443, 53, 53]);
  });
});

describe('the base manifests name what they run, since no args is now the default command', () => {
  const base = load('k8s');
  it('the serve Deployment passes `serve`; the CronJob passes flags but no subcommand', () => {
    expect(only('Deployment', base).spec.template.spec.containers[0].args).toEqual(['serve']);
    const cronArgs: string[] = only('CronJob', base).spec.jobTemplate.spec.template.spec.containers[0].args;
    expect(cronArgs.length).toBeGreaterThan(0);
    expect(cronArgs.every((a) => a.startsWith('-'))).toBe(true);
  });

  it('neither carries a ConductorOne client id (it would turn them into service mode)', () => {
    const text = readdirSync('k8s').filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join('k8s', f), 'utf8')).join('\n');
    expect(text).not.toMatch(/^\s*BATON_CLIENT_ID:/m);
  });
});
