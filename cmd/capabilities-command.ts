/**
 * `baton-tableau capabilities`: protojson of `Any(ConnectorCapabilities)`, like the SDK's subcommand
 * (connectors commit it as baton_capabilities.json). Needs no Tableau connection.
 */
import { capabilities } from '../pkg/connector/builder.js';
import { EXIT_OK, writeText, type Subcommand } from './command.js';
import { anyJson } from './protojson.js';

export const capabilitiesCommand: Subcommand = {
  name: 'capabilities',
  describe: 'Print the connector capabilities (c1.connector.v2.ConnectorCapabilities) as JSON',
  needsTableau: false,
  async run(ctx) {
    const json = anyJson('c1.connector.v2.ConnectorCapabilities', capabilities());
    await writeText(ctx.stdout, `${JSON.stringify(json, null, 2)}\n`);
    return EXIT_OK;
  },
};
