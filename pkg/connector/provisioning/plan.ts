/**
 * The Tableau calls a mutation makes, described so that a dry run can return them and an operator can
 * read them: method, REST path (`{v}` stands for the negotiated API version) and a body summary.
 */
import type { Any } from '../../../proto/types.js';
import { metadataAnnotation } from './annotations.js';

/** One Tableau REST call (never carries credentials). */
export interface PlannedCall {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Short description of the request body, e.g. `siteRole=Creator`. */
  body?: string;
}

const usersPath = (siteLuid: string): string => `/api/{v}/sites/${siteLuid}/users`;
const groupUsersPath = (siteLuid: string, groupLuid: string): string => `/api/{v}/sites/${siteLuid}/groups/${groupLuid}/users`;

export const calls = {
  updateUser: (siteLuid: string, userLuid: string, body: string): PlannedCall => ({
    method: 'PUT',
    path: `${usersPath(siteLuid)}/${userLuid}`,
    body,
  }),
  addUser: (siteLuid: string, body: string): PlannedCall => ({ method: 'POST', path: usersPath(siteLuid), body }),
  removeUser: (siteLuid: string, userLuid: string, mapAssetsTo?: string): PlannedCall => ({
    method: 'DELETE',
    path: `${usersPath(siteLuid)}/${userLuid}${mapAssetsTo ? `?mapAssetsTo=${mapAssetsTo}` : ''}`,
  }),
  addToGroup: (siteLuid: string, groupLuid: string, userLuid: string): PlannedCall => ({
    method: 'POST',
    path: groupUsersPath(siteLuid, groupLuid),
    body: `user id=${userLuid}`,
  }),
  removeFromGroup: (siteLuid: string, groupLuid: string, userLuid: string): PlannedCall => ({
    method: 'DELETE',
    path: `${groupUsersPath(siteLuid, groupLuid)}/${userLuid}`,
  }),
};

/** The GrantMetadata annotation of a dry run. */
export function dryRunAnnotation(planned: PlannedCall[], summary: string): Any {
  const list = planned.map((c) => (c.body === undefined ? { method: c.method, path: c.path } : { ...c }));
  return metadataAnnotation({ dryRun: true, calls: list, summary });
}
