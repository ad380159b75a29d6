/**
 * With a personal access token only one session can be live (a second sign-in kills the first), and a
 * session is bound to one site. The gate lets requests for the current site run concurrently; a
 * request for another site waits until those in flight finish, then the site changes. Waiters are
 * served in arrival order so a busy site cannot starve another.
 */
import { abortedError } from './errors.js';

interface Waiter {
  site: string;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class SiteGate {
  private current: string | undefined;
  private active = 0;
  private readonly queue: Waiter[] = [];

  /** The site requests are currently admitted for (undefined before the first). */
  get site(): string | undefined {
    return this.current;
  }

  /** Waits until requests for `site` may run; returns the release function (call exactly once). */
  async enter(site: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw abortedError('request', signal.reason);
    if (this.queue.length === 0 && (this.active === 0 || this.current === site)) {
      this.admit(site);
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { site, resolve, reject };
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index < 0) return;
        this.queue.splice(index, 1);
        reject(abortedError('request', signal?.reason));
        this.pump();
      };
      waiter.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
    return this.releaser();
  }

  private admit(site: string): void {
    this.current = site;
    this.active++;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.pump();
    };
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (this.active > 0 && head.site !== this.current) return;
      this.queue.shift();
      this.admit(head.site);
      head.resolve();
    }
  }
}
