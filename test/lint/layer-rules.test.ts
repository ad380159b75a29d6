// The layer rule of `npm run lint` (eslint.boundaries.js) must keep firing: each case lints a one-line
// module placed, by its file name, inside a real layer of this repository and importing a real module.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });

/** The layer-rule messages ESLint gives for `source` as if it were the file `filePath`. */
async function layerErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

const importing = (what: string, from: string) => `import { ${what} } from '${from}';\nexport const probe = ${what};\n`;

describe('layer rules in npm run lint', () => {
  it.each([
    ['pkg/tableau/probe.ts', 'tableau', 'config', importing('loadConfig', '../config/config.js')],
    ['pkg/tableau/probe.ts', 'tableau', 'connector', importing('ConnectorError', '../connector/errors.js')],
    ['pkg/tableau/probe.ts', 'tableau', 'proto', importing('loadProto', '../../proto/index.js')],
    ['pkg/connector/probe.ts', 'connector', 'server', importing('serveConnector', '../server/index.js')],
    ['pkg/connector/probe.ts', 'connector', 'config', importing('loadConfig', '../config/config.js')],
    ['pkg/sync/probe.ts', 'sync', 'service', importing('runServe', '../service/run-serve.js')],
    ['pkg/c1z/probe.ts', 'c1z', 'log', importing('createLogger', '../log/logger.js')],
    ['pkg/tableau-sim/probe.ts', 'tableau-sim', 'tableau', importing('TableauClient', '../tableau/client.js')],
    ['pkg/util/probe.ts', 'util', 'log', importing('createLogger', '../log/logger.js')],
    ['pkg/server/probe.ts', 'server', 'tableau', importing('TableauError', '../tableau/errors.js')],
    ['pkg/compose/probe.ts', 'root', 'service', importing('runServe', '../service/run-serve.js')],
  ])('%s (%s) may not import from %s', async (file, from, to, source) => {
    const errors = await layerErrors(file, source);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`"${from}" to elements of type "${to}"`);
  });

  it.each([
    ['pkg/connector/probe.ts', importing('TableauClient', '../tableau/client.js')],
    ['pkg/sync/probe.ts', importing('ConnectorError', '../connector/errors.js')],
    ['pkg/service/probe.ts', importing('DEFAULT_PROVISIONING_SETTINGS', '../config/config.js')],
    ['pkg/service/probe.ts', importing('connectTableau', '../compose/tableau-connection.js')],
    ['cmd/probe.ts', importing('loadConfig', '../pkg/config/config.js')],
    ['test/probe.ts', importing('loadConfig', '../pkg/config/config.js')],
  ])('%s may import what the table allows', async (file, source) => {
    expect(await layerErrors(file, source)).toEqual([]);
  });
});
