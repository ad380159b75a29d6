/**
 * SIGINT/SIGTERM handling of one-shot commands: the first signal aborts the running work (which then
 * cleans up, e.g. removes the unfinished c1z) and the process exits by itself; a second signal exits
 * at once.
 */
export function installSignalAbort(): AbortSignal {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(`baton-tableau: second ${name}, exiting now\n`);
      process.exit(130);
    }
    process.stderr.write(`baton-tableau: ${name} received, stopping (send it again to exit at once)\n`);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
