/**
 * The SCIM part of the Config: the opt-in SCIM read (`--scim-base-url` with the secret `--scim-token`,
 * both or neither) and provisioning's deliberate override of SCIM refusals (`--scim-override`).
 * See pkg/tableau/scim.ts for what is read and pkg/connector/scim-management.ts for what is refused.
 */
import type { ScimSettings } from '../tableau/scim.js';
import { isLoopbackHost } from './server-url.js';

export type { ScimSettings } from '../tableau/scim.js';

type Lookup = (name: string) => string | undefined;

/** The SCIM read settings, or undefined when not asked for; problems go to `problems`. */
export function resolveScim(str: Lookup, problems: string[]): ScimSettings | undefined {
  const baseUrl = str('scim-base-url');
  const token = str('scim-token');
  if (baseUrl === undefined && token === undefined) return undefined;
  if (baseUrl === undefined) problems.push('--scim-token needs --scim-base-url (the site\'s SCIM base URL)');
  if (token === undefined) problems.push('--scim-base-url needs --scim-token (BATON_SCIM_TOKEN, the SCIM bearer secret)');
  if (baseUrl === undefined || token === undefined) return undefined;
  const problem = scimBaseUrlProblem(baseUrl);
  if (problem !== undefined) {
    problems.push(problem);
    return undefined;
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ''), token };
}

/** `--scim-override` is a provisioning switch: without `-p` it is a usage error. */
export function scimOverrideProblem(override: boolean, provisioning: boolean): string | undefined {
  return override && !provisioning ? '--scim-override needs --provisioning (-p)' : undefined;
}

function scimBaseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `--scim-base-url "${value}" is not a URL`;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return undefined;
  return '--scim-base-url must be https (plain http only for loopback hosts)';
}
