/** Public surface of the Tableau REST client. */
export { TableauClient, type TableauClientOptions } from './client.js';
export type { SiteClient, PageOptions } from './site-client.js';
export type { TableauCredentials } from './credentials.js';
export { connectedAppJwt, DEFAULT_JWT_SCOPES } from './credentials.js';
export { pagesInOrder, pagesOneByOne, lastPageNumber, type PagesInOrderOptions } from './pagination.js';
export { judgePage, pageOrPastEnd, isPastFinalPage, shortfallMessage, type ListingShortfall, type PageVerdict, type ShortfallSink } from './listing-end.js';
export type { ClientStats } from './stats.js';
export { TableauError, type TableauErrorCode } from './errors.js';
export { FEATURE_MIN_VERSION, compareVersions, type TableauFeature } from './versions.js';
export type { WireFormat } from './http.js';
export * from './types.js';
export { groupManagement, type GroupManagement } from './group-management.js';
export { POOL_USER_CONFLICT, type AuthConfiguration, type IdentityStore } from './identity-pools.js';
