// The layer table of README's Development section, checked by `npm run lint` (eslint-plugin-boundaries).
// Every top-level module may import only the modules listed for it; arrows point one way, so no two
// top-level modules can import each other (no cycles). Files inside one module import each other freely.
// test/ and bench/ may import anything. test/lint/layer-rules.test.ts proves the rule still fires.
import boundaries from 'eslint-plugin-boundaries';

/**
 * Top-level modules, by folder. `root` is the composition root (config → client → connector), used by
 * cmd/ and by pkg/service (serve and service mode build their connector with it).
 */
const MODULES = {
  cmd: 'cmd',
  root: 'pkg/{compose,app}',
  service: 'pkg/service',
  server: 'pkg/server',
  sync: 'pkg/sync',
  connector: 'pkg/connector',
  tableau: 'pkg/tableau',
  'tableau-sim': 'pkg/tableau-sim',
  c1z: 'pkg/c1z',
  config: 'pkg/config',
  log: 'pkg/log',
  util: 'pkg/util',
  proto: 'proto',
  tests: '{test,bench}',
};

/** Which modules each module may import (besides itself). proto/ is for everything above pkg/tableau. */
const LAYERS = {
  cmd: ['*'],
  root: ['connector', 'tableau', 'config', 'log', 'util', 'proto'],
  service: ['root', 'server', 'sync', 'connector', 'tableau', 'c1z', 'log', 'util', 'proto'],
  server: ['connector', 'log', 'util', 'proto'],
  sync: ['connector', 'c1z', 'log', 'util', 'proto'],
  connector: ['tableau', 'log', 'util', 'proto'],
  tableau: ['log', 'util'],
  'tableau-sim': ['log', 'util'],
  c1z: ['util', 'proto'],
  config: ['util'],
  log: ['util'],
  util: [],
  proto: [],
  tests: ['*'],
};

/**
 * Imports that break the table today, each file by name. Other work on the architecture issue removes
 * them; delete each entry (and, once empty, this list) as soon as its import is gone.
 */
const KNOWN_VIOLATIONS = [
  // serve and service mode take typed settings; value imports of pkg/config wait for the composition root
  { file: 'pkg/service/run-serve.ts', imports: 'config' },
  { file: 'pkg/service/listen-address.ts', imports: 'config' },
  { file: 'pkg/service/duration.ts', imports: 'config' },
  // the status mapping recognises TableauError directly instead of through ConnectorError
  { file: 'pkg/server/status.ts', imports: 'tableau' },
];

const element = (type) => ({ to: { element: { type } } });

/** Policies in eslint-plugin-boundaries' terms, built from LAYERS and KNOWN_VIOLATIONS. */
function policies() {
  const fromLayers = Object.entries(LAYERS).map(([from, allowed]) => ({
    from: { element: { type: from } },
    allow: allowed.map(element).concat(element(from)),
  }));
  // pkg/service reads its own settings types (ConductorOneSettings, TableauSettings, ...) from pkg/config;
  // a type-only import carries no code across the layer.
  const settingsTypes = {
    from: { element: { type: 'service' } },
    allow: { to: { element: { type: 'config' } }, dependency: { kind: 'type' } },
  };
  const exceptions = KNOWN_VIOLATIONS.map(({ file, imports }) => ({
    from: { file: { path: `**/${file}` } },
    allow: element(imports),
  }));
  // pkg/config names the sites to act on with pkg/tableau's SiteSelection (type only).
  const siteSelection = {
    from: { element: { type: 'config' } },
    allow: { to: { element: { type: 'tableau' } }, dependency: { kind: 'type' } },
  };
  return [...fromLayers, settingsTypes, siteSelection, ...exceptions];
}

/** The flat-config block that `eslint.config.js` includes (and the layer test lints with). */
export const layerRules = {
  files: ['**/*.ts'],
  plugins: { boundaries },
  settings: {
    'import/resolver': { typescript: { project: './tsconfig.json' } },
    'boundaries/elements': Object.entries(MODULES).map(([type, folder]) => ({ type, pattern: folder })),
  },
  rules: {
    'boundaries/dependencies': ['error', { default: 'disallow', policies: policies() }],
  },
};
