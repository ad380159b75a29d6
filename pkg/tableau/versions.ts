/** REST API version arithmetic, the features gated by version, and which Tableau release speaks which version. */
import { versionUnsupported } from './errors.js';
import type { TableauCredentials } from './credentials.js';

/** Features whose availability depends on the negotiated REST API version. */
export type TableauFeature =
  | 'fields'
  | 'personalAccessTokens'
  | 'groupsForUser'
  | 'jwt'
  | 'identityPools'
  | 'bulkGroupMembership';

/** First REST API version offering each feature (Tableau's documentation and release notes; REST-API.md §1). */
const FEATURE_MIN_VERSION: Record<TableauFeature, string> = {
  fields: '2.5',
  personalAccessTokens: '3.6',
  groupsForUser: '3.7',
  jwt: '3.17',
  identityPools: '3.19',
  bulkGroupMembership: '3.21',
};

/** How each feature is named in messages. */
const FEATURE_NAMES: Record<TableauFeature, string> = {
  fields: 'the fields parameter',
  personalAccessTokens: 'personal access tokens',
  groupsForUser: 'Get Groups for a User',
  jwt: 'connected apps (JWT sign-in)',
  identityPools: 'identity pools',
  bulkGroupMembership: 'bulk group membership',
};

/**
 * The Tableau Server release that introduced each REST API version, as Tableau's "REST API and
 * Resource Versions" page lists them (3.26 and 3.28 shipped first on Tableau Cloud). The one table of
 * the project: messages name releases from it.
 */
const RELEASES: Record<string, string> = {
  '2.3': '10.0', '2.4': '10.1', '2.5': '10.2', '2.6': '10.3', '2.7': '10.4', '2.8': '10.5',
  '3.0': '2018.1', '3.1': '2018.2', '3.2': '2018.3', '3.3': '2019.1', '3.4': '2019.2', '3.5': '2019.3',
  '3.6': '2019.4', '3.7': '2020.1', '3.8': '2020.2', '3.9': '2020.3', '3.10': '2020.4', '3.11': '2021.1',
  '3.12': '2021.2', '3.13': '2021.3', '3.14': '2021.4', '3.15': '2022.1', '3.16': '2022.2', '3.17': '2022.3',
  '3.18': '2022.4', '3.19': '2023.1', '3.20': '2023.2', '3.21': '2023.3', '3.22': '2024.1', '3.23': '2024.2',
  '3.24': '2024.3', '3.25': '2025.1', '3.26': 'Cloud June 2025', '3.27': '2025.3', '3.28': '2026.1', '3.29': '2026.2',
};

/** "Tableau Server 2019.4" for "3.6" (or the server's own product version when known). */
function releaseName(apiVersion: string, productVersion?: string): string {
  const release = productVersion ?? RELEASES[majorMinor(apiVersion)];
  if (release === undefined) return 'Tableau';
  return release.startsWith('Cloud') ? `Tableau ${release}` : `Tableau Server ${release}`;
}

/** Compares "major.minor" versions numerically ("3.10" is above "3.9"). */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

export function versionSupports(version: string, feature: TableauFeature): boolean {
  return compareVersions(version, FEATURE_MIN_VERSION[feature]) >= 0;
}

/** "bulk group membership needs REST API 3.21 (Tableau Server 2023.3) or newer" */
function needs(feature: TableauFeature): string {
  const min = FEATURE_MIN_VERSION[feature];
  const plural = feature === 'personalAccessTokens' || feature === 'jwt' || feature === 'identityPools';
  return `${FEATURE_NAMES[feature]} need${plural ? '' : 's'} REST API ${min} (${releaseName(min)}) or newer`;
}

/** Throws VERSION_UNSUPPORTED (before anything is sent) when `version` predates `feature`. */
export function requireFeature(version: string, feature: TableauFeature): void {
  if (!versionSupports(version, feature)) throw versionUnsupported(`${needs(feature)}; this server speaks ${version} (${releaseName(version)})`);
}

/** The feature a kind of sign-in needs (password sign-in works on every version). */
const SIGN_IN_FEATURE: Partial<Record<TableauCredentials['kind'], TableauFeature>> = { pat: 'personalAccessTokens', jwt: 'jwt' };

/**
 * Refuses, in one line and before any sign-in is sent, credentials the server's version cannot take:
 * "Tableau Server 10.2 (REST API 2.5) does not support personal access tokens; …".
 */
export function checkSignInSupported(kind: TableauCredentials['kind'], version: string, productVersion?: string): void {
  const feature = SIGN_IN_FEATURE[kind];
  if (feature === undefined || versionSupports(version, feature)) return;
  const server = `${releaseName(version, productVersion)} (REST API ${version})`;
  throw versionUnsupported(`${server} does not support ${FEATURE_NAMES[feature]}; ${needs(feature)}: sign in another way or upgrade Tableau Server`);
}

/** "3.29.1" or "3.29" → "3.29" (URLs carry major.minor only). */
export function majorMinor(version: string): string {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  return match ? `${match[1]}.${match[2]}` : version.trim();
}

