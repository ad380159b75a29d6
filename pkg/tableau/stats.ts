/** Counters of one client (exposed as {@link ClientStats} by `TableauClient.stats()`). */

/** Snapshot of what a client has done so far. */
export interface ClientStats {
  /** HTTP requests sent (every attempt, sign-ins included). */
  requests: number;
  /** Attempts that were repeated after a retryable failure. */
  retries: number;
  /** Responses with HTTP 429. */
  rateLimited: number;
  signIns: number;
  /** Sign-ins caused by an expired or invalidated session (401000/401002). */
  reauths: number;
  /** Requests per route, ids replaced by `{}` (e.g. `GET /sites/{}/users`). */
  byRoute: Record<string, number>;
  /** Requests per route and HTTP status (`"200"`, `"429"`; `"none"` when no response arrived). */
  byRouteStatus: Record<string, Record<string, number>>;
}

export class ClientStatsRecorder {
  private readonly counters: Omit<ClientStats, 'byRoute' | 'byRouteStatus'> = { requests: 0, retries: 0, rateLimited: 0, signIns: 0, reauths: 0 };
  private readonly routes = new Map<string, number>();
  private readonly routeStatuses = new Map<string, Map<string, number>>();

  request(route: string, status: number | undefined): void {
    this.counters.requests++;
    this.routes.set(route, (this.routes.get(route) ?? 0) + 1);
    let statuses = this.routeStatuses.get(route);
    if (!statuses) this.routeStatuses.set(route, (statuses = new Map()));
    const key = status === undefined ? 'none' : String(status);
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }

  retry(): void {
    this.counters.retries++;
  }

  rateLimited(): void {
    this.counters.rateLimited++;
  }

  signIn(): void {
    this.counters.signIns++;
  }

  reauth(): void {
    this.counters.reauths++;
  }

  snapshot(): ClientStats {
    const byRouteStatus: ClientStats['byRouteStatus'] = {};
    for (const [route, statuses] of this.routeStatuses) byRouteStatus[route] = Object.fromEntries(statuses);
    return { ...this.counters, byRoute: Object.fromEntries(this.routes), byRouteStatus };
  }
}
