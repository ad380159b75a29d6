/** `baton-tableau serve`: declared so help and `config` know it; the gRPC server mode comes later. */
import { EXIT_USAGE, type Subcommand } from './command.js';

export const serveCommand: Subcommand = {
  name: 'serve',
  describe: 'Serve the c1.connector.v2 gRPC services (not available yet)',
  needsTableau: false,
  async run(ctx) {
    ctx.stderr.write('baton-tableau: serve is not available yet in this version of baton-tableau\n');
    return EXIT_USAGE;
  },
};
