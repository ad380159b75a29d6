/**
 * stderr shared by log lines and a live progress display. While the display is on screen, log lines
 * go through it (cli-progress prints them above the bar), so the two never garble each other.
 */
import type { LogSink } from '../pkg/log/logger.js';

/** Lets a progress display take over log output while it is drawn. */
export interface LiveLine {
  /** `undefined` gives stderr back to the log. */
  redirectLogs(write: ((text: string) => void) | undefined): void;
}

export class SharedStderr implements LogSink, LiveLine {
  private redirect: ((text: string) => void) | undefined;

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {}

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  write(text: string): void {
    if (this.redirect) this.redirect(text);
    else this.stream.write(text);
  }

  redirectLogs(write: ((text: string) => void) | undefined): void {
    this.redirect = write;
  }
}
