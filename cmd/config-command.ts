/** `baton-tableau config`: the configuration schema as the SDK's `c1.config.v1.Configuration` protojson. */
import { configurationJson } from '../pkg/config/schema.js';
import { EXIT_OK, writeText, type Subcommand } from './command.js';

export const configCommand: Subcommand = {
  name: 'config',
  describe: 'Print the configuration schema (c1.config.v1.Configuration) as JSON',
  needsTableau: false,
  async run(ctx) {
    await writeText(ctx.stdout, `${JSON.stringify(configurationJson(), null, 2)}\n`);
    return EXIT_OK;
  },
};
