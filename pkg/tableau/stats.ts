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
}

export class ClientStatsRecorder {
  private readonly counters: Omit<ClientStats, 'byRoute'> = { requests: 0, retries: 0, rateLimited: 0, signIns: 0, reauths: 0 };
  private readonly routes = new Map<string, number>();

  request(route: string, _status: number | undefined): void {
    this.counters.requests++;
    this.routes.set(route, (this.routes.get(route) ?? 0) + 1);
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
    return { ...this.counters, byRoute: Object.fromEntries(this.routes) };
  }
}
