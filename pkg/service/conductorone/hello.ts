/**
 * The Hello request (PROTOCOL §5.3): host id, build and OS information (ConductorOne requires them
 * filled: unknown parts say "unknown", no virtualisation says "none", as the SDK does) and the
 * connector's metadata, capabilities and account-creation schema included.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { BatonServiceHelloRequest, HelloBuildInfo, HelloOSInfo } from '../../../proto/baton-service.js';
import type { ConnectorApi } from '../../connector/api.js';
import type { CallCtx } from '../../connector/types.js';

/** Fields of /etc/os-release (the distribution: what gopsutil reports as platform and family). */
function osRelease(): Record<string, string> {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return Object.fromEntries(
      text
        .split('\n')
        .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!.replace(/^"(.*)"$/, '$1')]),
    );
  } catch {
    return {};
  }
}

/** Containers leave traces the SDK's gopsutil also looks for. */
function virtualization(): string {
  try {
    if (readFileSync('/proc/1/cgroup', 'utf8').match(/docker|kubepods|containerd/)) return 'docker';
  } catch {
    // Not Linux, or not readable: nothing known.
  }
  return 'none';
}

function osInfo(): HelloOSInfo {
  const release = os.platform() === 'linux' ? osRelease() : {};
  const known = (value: string | undefined): string => (value && value.trim() !== '' ? value : 'unknown');
  return {
    hostname: known(os.hostname()),
    os: known(os.platform()),
    platform: known(release['ID']),
    platformVersion: known(release['VERSION_ID']),
    platformFamily: known(release['ID_LIKE']?.split(' ')[0] ?? release['ID']),
    kernelVersion: known(os.release()),
    kernelArch: known(os.machine()),
    virtualizationSystem: virtualization(),
  };
}

/** A Hello for start-up (`taskId` "") or as the whole answer to a hello task. */
export async function helloRequest(
  api: ConnectorApi,
  hostId: string,
  taskId: string,
  buildInfo: HelloBuildInfo,
  ctx: CallCtx,
): Promise<BatonServiceHelloRequest> {
  const { metadata } = await api.getMetadata({}, ctx);
  return { hostId, taskId, buildInfo, osInfo: osInfo(), ...(metadata ? { connectorMetadata: metadata } : {}), annotations: [] };
}
