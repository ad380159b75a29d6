/**
 * With a personal access token only one session can be live (a second sign-in kills the first), and a
 * session is bound to one site. The gate lets requests for the current site run concurrently; a
 * request for another site waits until those in flight finish, then the site changes. Waiters are
 * served in arrival order so a busy site cannot starve another.
 */
import { FifoGate, releaseOnce } from '../util/semaphore.js';
import { abortedError } from './errors.js';

export class SiteGate {
  private current: string | undefined;
  private active = 0;
  private readonly gate = new FifoGate<string>(
    (site) => this.active === 0 || site === this.current,
    (site) => {
      this.current = site;
      this.active++;
    },
  );

  /** The site requests are currently admitted for (undefined before the first). */
  get site(): string | undefined {
    return this.current;
  }

  /** Waits until requests for `site` may run; returns the release function (call exactly once). */
  async enter(site: string, signal?: AbortSignal): Promise<() => void> {
    await this.gate.enter(site, { signal, abortError: (reason) => abortedError('request', reason) });
    return releaseOnce(() => {
      this.active--;
      this.gate.pump();
    });
  }
}
