/**
 * Bearer-token check for the gRPC listener. The token file holds one accepted token per line (two
 * lines during a rotation); it is re-read when it changes, so a Kubernetes Secret update reaches a
 * running pod without a restart. Tokens are compared in constant time over their SHA-256 digests.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import type { Logger } from 'pino';

/** How often the token file is polled (stat polling also follows Kubernetes' symlink swaps). */
const POLL_INTERVAL_MS = 500;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export class BearerTokens {
  private digests: Buffer[] = [];

  private constructor(
    private readonly path: string,
    private readonly log: Logger,
  ) {}

  /** Reads the file once (failing loudly if it is unreadable) and then watches it. */
  static open(path: string, log: Logger): BearerTokens {
    const tokens = new BearerTokens(path, log);
    tokens.digests = tokens.readDigests();
    if (tokens.digests.length === 0) log.warn({ path }, 'auth token file is empty: every authenticated call will be refused');
    watchFile(path, { interval: POLL_INTERVAL_MS, persistent: false }, tokens.onChange);
    return tokens;
  }

  /** True when `authorization` is `Bearer <token>` for one of the accepted tokens. */
  accepts(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return false;
    const presented = digest(match[1]);
    // No early exit: every accepted token is compared so timing does not reveal which one matched.
    let ok = false;
    for (const accepted of this.digests) ok = timingSafeEqual(presented, accepted) || ok;
    return ok;
  }

  close(): void {
    unwatchFile(this.path, this.onChange);
  }

  private readonly onChange = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
    try {
      this.digests = this.readDigests();
      this.log.info({ path: this.path, tokens: this.digests.length }, 'auth token file reloaded');
    } catch (err) {
      // A Secret update replaces the file in steps; keep the tokens we have until it is readable again.
      this.log.warn({ path: this.path, err: (err as Error).message }, 'auth token file unreadable; keeping the previous tokens');
    }
  };

  private readDigests(): Buffer[] {
    return readFileSync(this.path, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map(digest);
  }
}
