/** REST API version arithmetic and the features gated by version. */
import { versionUnsupported } from './errors.js';

/** Features whose availability depends on the negotiated REST API version. */
export type TableauFeature = 'bulkGroupMembership' | 'groupsForUser' | 'identityPools' | 'jwt';

/** First REST API version offering each feature (Tableau release notes; REST-API.md §1). */
export const FEATURE_MIN_VERSION: Record<TableauFeature, string> = {
  groupsForUser: '3.7',
  jwt: '3.17',
  identityPools: '3.19',
  bulkGroupMembership: '3.21',
};

/** Compares "major.minor" versions numerically ("3.10" > "3.9"). */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

export function versionSupports(version: string, feature: TableauFeature): boolean {
  return compareVersions(version, FEATURE_MIN_VERSION[feature]) >= 0;
}

/** Throws VERSION_UNSUPPORTED (before anything is sent) when `version` predates `feature`. */
export function requireFeature(version: string, feature: TableauFeature): void {
  if (!versionSupports(version, feature)) throw versionUnsupported(feature, FEATURE_MIN_VERSION[feature], version);
}

/** "3.29.1" or "3.29" → "3.29" (URLs carry major.minor only). */
export function majorMinor(version: string): string {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  return match ? `${match[1]}.${match[2]}` : version.trim();
}
