/** Public surface of the Tableau REST client. */
export { TableauClient, type TableauClientOptions } from './client.js';
export type { SiteClient } from './site-client.js';
export type { TableauCredentials } from './credentials.js';
export { Listing, TABLEAU_PAGE_SIZE, type ListedPage } from './listing.js';
export { shortfallMessage, type ListingShortfall, type ShortfallSink } from './listing-end.js';
export { TableauError } from './errors.js';
export type { WireFormat } from './http.js';
export * from './types.js';
export { groupManagement } from './group-management.js';
export type { AuthConfiguration, IdentityStore } from './identity-pools.js';
