/**
 * Every manifest under k8s/ is parsed and checked for what the deployment promises: credentials only
 * as BATON_* env from Secrets, hardened pods, probes on /healthz and /readyz, a grace period longer
 * than the shutdown timeout, and the one-PAT-one-replica rule stated where operators will read it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseDurationMs } from '../../pkg/service/duration.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DIR = 'k8s';
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const docs: { file: string; doc: Obj }[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
    expect(d.errors).toEqual([]);
    return { file, doc: d.toJS() as Obj };
  }),
);
const ofKind = (kind: string): Obj[] => docs.filter((d) => d.doc.kind === kind).map((d) => d.doc);
const only = (kind: string): Obj => {
  const found = ofKind(kind);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const deployment = only('Deployment');
const cronJob = only('CronJob');
const podSpecs: [string, Obj][] = [
  ['Deployment', deployment.spec.template.spec],
  ['CronJob', cronJob.spec.jobTemplate.spec.template.spec],
];
const envOf = (container: Obj): Record<string, string> =>
  Object.fromEntries((container.env ?? []).filter((e: Obj) => 'value' in e).map((e: Obj) => [e.name, String(e.value)]));
const SECRET_WORDS = /secret|password|token|jwt|key/i;

describe('k8s manifests', () => {
  it('parse, and the kustomization lists every manifest', () => {
    const kustomization = only('Kustomization');
    expect([...kustomization.resources].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
    for (const { doc } of docs) expect(doc.apiVersion && doc.kind && (doc.kind === 'Kustomization' || doc.metadata?.name)).toBeTruthy();
  });

  it('keep Tableau credentials in a Secret as BATON_* env, never in args', () => {
    const secrets = ofKind('Secret');
    const credentials = secrets.find((s) => Object.keys(s.stringData ?? {}).some((k) => k.startsWith('BATON_')));
    expect(credentials).toBeDefined();
    for (const key of Object.keys(credentials!.stringData)) expect(key).toMatch(/^BATON_[A-Z_]+$/);
    for (const [, spec] of podSpecs) {
      for (const container of spec.containers) {
        expect(container.envFrom.some((e: Obj) => e.secretRef?.name === credentials!.metadata.name)).toBe(true);
        for (const arg of [...(container.args ?? []), ...(container.command ?? [])]) expect(String(arg)).not.toMatch(SECRET_WORDS);
        for (const [name, value] of Object.entries(envOf(container))) {
          if (SECRET_WORDS.test(name) && !name.endsWith('_FILE')) throw new Error(`${name}=${value} must come from a Secret`);
        }
      }
    }
  });

  it('run hardened pods: non-root, read-only root, no capabilities, resources set', () => {
    for (const [kind, spec] of podSpecs) {
      expect(spec.securityContext.runAsNonRoot, kind).toBe(true);
      expect(spec.securityContext.runAsUser, kind).toBeGreaterThan(0);
      expect(spec.automountServiceAccountToken, kind).toBe(false);
      for (const c of spec.containers) {
        expect(c.securityContext.readOnlyRootFilesystem, kind).toBe(true);
        expect(c.securityContext.allowPrivilegeEscalation, kind).toBe(false);
        expect(c.securityContext.capabilities.drop, kind).toContain('ALL');
        for (const part of ['requests', 'limits']) expect(Object.keys(c.resources[part]), kind).toEqual(expect.arrayContaining(['cpu', 'memory']));
        const mounts = c.volumeMounts.map((m: Obj) => m.mountPath);
        expect(mounts, kind).toEqual(expect.arrayContaining(['/tmp', '/data']));
        expect(envOf(c)['BATON_FILE'], kind).toMatch(/^\/data\//);
      }
    }
  });

  it('probe /healthz for liveness and /readyz for readiness on the HTTP port', () => {
    const container = deployment.spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    const httpPort = container.ports.find((p: Obj) => p.name === container.readinessProbe.httpGet.port);
    expect(envOf(container)['BATON_HTTP_LISTEN']).toBe(`0.0.0.0:${httpPort.containerPort}`);
  });

  it('give the drain time: termination grace period > shutdown timeout (+ preStop pause)', () => {
    const spec = deployment.spec.template.spec;
    const container = spec.containers[0];
    const shutdownMs = parseDurationMs(envOf(container)['BATON_SHUTDOWN_TIMEOUT'] ?? '');
    expect(shutdownMs).toBeGreaterThan(0);
    const preStopMs = /setTimeout\([^,]+,\s*(\d+)\)/.exec(container.lifecycle?.preStop?.exec?.command?.join(' ') ?? '')?.[1];
    expect(spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(shutdownMs! + Number(preStopMs ?? 0));
  });

  it('protect the gRPC port with a bearer token file mounted from a Secret', () => {
    const spec = deployment.spec.template.spec;
    const container = spec.containers[0];
    const tokenFile = envOf(container)['BATON_AUTH_TOKEN_FILE'];
    expect(tokenFile).toBeDefined();
    const mount = container.volumeMounts.find((m: Obj) => tokenFile!.startsWith(`${m.mountPath}/`));
    const volume = spec.volumes.find((v: Obj) => v.name === mount?.name);
    expect(ofKind('Secret').map((s) => s.metadata.name)).toContain(volume?.secret?.secretName);
    expect(envOf(container)['BATON_LISTEN']).toMatch(/^0\.0\.0\.0:\d+$/);
  });

  it('expose gRPC and metrics through the Service, on the container ports', () => {
    const service = only('Service');
    const ports = deployment.spec.template.spec.containers[0].ports.map((p: Obj) => p.name);
    const targets = service.spec.ports.map((p: Obj) => p.targetPort);
    expect(targets).toEqual(expect.arrayContaining(ports));
    expect(service.spec.ports.some((p: Obj) => p.appProtocol === 'grpc')).toBe(true);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  it('restrict traffic with a NetworkPolicy for both directions', () => {
    const policy = only('NetworkPolicy');
    expect(policy.spec.policyTypes).toEqual(expect.arrayContaining(['Ingress', 'Egress']));
    const ingressPorts = policy.spec.ingress.flatMap((r: Obj) => r.ports.map((p: Obj) => p.port));
    expect(ingressPorts).toEqual(expect.arrayContaining([50051, 8080]));
  });

  it('say plainly: one replica with a PAT, any number with a connected app', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe('Recreate');
    const comments = readFileSync(join(DIR, 'deployment.yaml'), 'utf8');
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    for (const text of [comments, readme]) {
      expect(text).toMatch(/PAT/);
      expect(text).toMatch(/one\s+replica/i);
      expect(text).toMatch(/connected\s+app\s+\(JWT\)/i);
      expect(text).toMatch(/any\s+number/i);
    }
    expect(readme).toMatch(/one\s+CronJob\s+per\s+site/i);
  });

  it('offer a one-shot CronJob that writes the c1z to a persistent volume', () => {
    const spec = cronJob.spec.jobTemplate.spec.template.spec;
    const container = spec.containers[0];
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    expect(container.args?.length).toBeGreaterThan(0);
    expect(container.args).not.toContain('serve');
    const data = container.volumeMounts.find((m: Obj) => m.mountPath === '/data');
    const claim = spec.volumes.find((v: Obj) => v.name === data.name)?.persistentVolumeClaim?.claimName;
    expect(ofKind('PersistentVolumeClaim').map((p) => p.metadata.name)).toContain(claim);
  });
});
