/**
 * The request constraints of baton.proto's validate rules that ConductorOne enforces, checked in
 * code (our .proto files carry no validate annotations). Each check returns a reason or undefined.
 */
import type { Any } from '../../../proto/index.js';
import type { BatonServiceHelloRequest, HelloBuildInfo, HelloOSInfo } from '../../../proto/baton-service.js';

/** KSUID-shaped task ids. */
export const TASK_ID_PATTERN = /^[a-zA-Z0-9]{27}$/;
/** An UploadData chunk: 1 byte to 1 MiB. */
export const MAX_CHUNK_BYTES = 1024 * 1024;
const MAX_ANNOTATIONS = 16;
const MAX_INFO_CHARS = 256;

const chars = (s: string): number => [...s].length;

export function hostIdProblem(hostId: string | undefined): string | undefined {
  const n = chars(hostId ?? '');
  return n >= 1 && n <= 256 ? undefined : `host_id must be 1..256 characters (got ${n})`;
}

export function taskIdProblem(taskId: string | undefined): string | undefined {
  return TASK_ID_PATTERN.test(taskId ?? '') ? undefined : 'task_id must be 27 letters or digits';
}

export function annotationsProblem(annotations: Any[] | undefined): string | undefined {
  return (annotations?.length ?? 0) <= MAX_ANNOTATIONS ? undefined : `at most ${MAX_ANNOTATIONS} annotations`;
}

function infoProblem(name: string, info: object | undefined, required: string[]): string | undefined {
  if (!info) return `${name} is required`;
  const fields = info as Record<string, string | undefined>;
  const missing = required.filter((f) => !fields[f]);
  if (missing.length) return `${name} lacks ${missing.join(', ')}`;
  const long = Object.entries(fields).find(([, v]) => typeof v === 'string' && chars(v) > MAX_INFO_CHARS);
  return long ? `${name}.${long[0]} is longer than ${MAX_INFO_CHARS} characters` : undefined;
}

/**
 * Hello: host id, task id empty or KSUID-shaped, build and OS info filled (the SDK fills "unknown"
 * rather than leave them empty: ConductorOne requires them), connector metadata present.
 */
export function helloProblem(req: BatonServiceHelloRequest): string | undefined {
  const buildFields: (keyof HelloBuildInfo)[] = ['langVersion', 'package', 'packageVersion'];
  const osFields: (keyof HelloOSInfo)[] = ['hostname', 'os', 'platform'];
  return (
    hostIdProblem(req.hostId) ??
    (req.taskId ? taskIdProblem(req.taskId) : undefined) ??
    infoProblem('build_info', req.buildInfo, buildFields) ??
    infoProblem('os_info', req.osInfo, osFields) ??
    (req.connectorMetadata ? undefined : 'connector_metadata is required') ??
    annotationsProblem(req.annotations)
  );
}
