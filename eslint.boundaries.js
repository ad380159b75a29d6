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
  service: ['root', 'server', 'sync', 'connector', 'tableau', 'c1z', 'config', 'log', 'util', 'proto'],
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

const element = (type) => ({ to: { element: { type } } });

/** Policies in eslint-plugin-boundaries' terms, built from LAYERS. */
function policies() {
  const fromLayers = Object.entries(LAYERS).map(([from, allowed]) => ({
    from: { element: { type: from } },
    allow: allowed.map(element).concat(element(from)),
  }));
  // pkg/config names the sites to act on with pkg/tableau's SiteSelection (type only).
  const siteSelection = {
    from: { element: { type: 'config' } },
    allow: { to: { element: { type: 'tableau' } }, dependency: { kind: 'type' } },
  };
  return [...fromLayers, siteSelection];
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
