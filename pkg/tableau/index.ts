/** Public surface of the Tableau REST client. */
export { TableauClient, type TableauClientOptions } from './client.js';
export type { SiteClient, PageOptions } from './site-client.js';
export type { TableauCredentials } from './credentials.js';
export { connectedAppJwt, DEFAULT_JWT_SCOPES } from './credentials.js';
export { Listing, TABLEAU_PAGE_SIZE, type ListingSource, type ListedPage, type ReadPageOptions, type DrainOptions } from './listing.js';
export { shortfallMessage, type ListingShortfall, type ShortfallSink } from './listing-end.js';
export type { ClientStats } from './stats.js';
export { TableauError, type TableauErrorCode } from './errors.js';
export { compareVersions, type TableauFeature } from './versions.js';
export type { WireFormat } from './http.js';
export * from './types.js';
export { groupManagement, type GroupManagement } from './group-management.js';
export { POOL_USER_CONFLICT, type AuthConfiguration, type IdentityStore } from './identity-pools.js';
