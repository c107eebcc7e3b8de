// Imports point down the layers (see docs/architecture.md):
//   cli -> commands -> runtime / autogenerate / lint -> script, operations, dialect, config
//   -> schema -> util, aludel-error
const layer = (name) => `^src/${name}/`

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not import each other in a cycle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'only-cli-is-top',
      severity: 'error',
      comment: 'Only cli/ may import cli/.',
      from: { pathNot: layer('cli') },
      to: { path: layer('cli') },
    },
    {
      name: 'commands-below-cli',
      severity: 'error',
      comment: 'commands/ is the programmatic API; only cli/ and the package index use it.',
      from: { pathNot: [layer('cli'), layer('commands'), '^src/index\\.ts$'] },
      to: { path: layer('commands') },
    },
    {
      name: 'runtime-below-commands',
      severity: 'error',
      from: {
        path: [
          layer('script'),
          layer('operations'),
          layer('dialect'),
          layer('config'),
          layer('schema'),
          layer('util'),
          layer('autogenerate'),
          layer('lint'),
        ],
      },
      to: { path: layer('runtime') },
    },
    {
      name: 'script-is-pure',
      severity: 'error',
      comment: 'script/ knows nothing of schema, dialects, operations, the runtime or config.',
      from: { path: layer('script') },
      to: {
        path: [
          layer('schema'),
          layer('dialect'),
          layer('operations'),
          layer('config'),
          layer('autogenerate'),
          layer('lint'),
        ],
      },
    },
    {
      name: 'autogenerate-knows-no-concrete-dialect',
      severity: 'error',
      comment:
        "autogenerate/ asks the dialect's Comparator when types, defaults and expressions agree and for the SQL of manual steps; it names no engine.",
      from: { path: layer('autogenerate') },
      to: { path: ['^src/dialect/(postgres|sqlite|mysql)/', layer('config')] },
    },
    {
      name: 'dialects-spell-their-own-names',
      severity: 'error',
      comment:
        'schema/quote-identifier.ts spells names in the model notation, which every engine reads; each dialect quotes the names of its DDL by its own rule.',
      from: { path: '^src/dialect/' },
      to: { path: '^src/schema/quote-identifier\\.ts$' },
    },
    {
      name: 'shared-code-knows-no-concrete-dialect',
      severity: 'error',
      comment:
        "An engine's rules live in dialect/<engine>/ and are reached through the Dialect roles; only dialect/ and the package index name an engine.",
      from: { path: '^src/', pathNot: ['^src/dialect/', '^src/index\\.ts$'] },
      to: { path: '^src/dialect/(postgres|sqlite|mysql)/' },
    },
    {
      name: 'dialect-below-operations-consumers',
      severity: 'error',
      comment: 'dialect/ may read op types but not the runtime, script directory or config.',
      from: { path: layer('dialect') },
      to: { path: [layer('script'), layer('config'), layer('autogenerate'), layer('lint')] },
    },
    {
      name: 'operations-below-dialect',
      severity: 'error',
      from: { path: layer('operations') },
      to: {
        path: [
          layer('dialect'),
          layer('script'),
          layer('config'),
          layer('autogenerate'),
          layer('lint'),
        ],
      },
    },
    {
      name: 'schema-at-bottom',
      severity: 'error',
      from: { path: layer('schema') },
      to: {
        path: [
          layer('operations'),
          layer('dialect'),
          layer('script'),
          layer('config'),
          layer('autogenerate'),
          layer('lint'),
        ],
      },
    },
    {
      name: 'config-is-leaf',
      severity: 'error',
      comment: 'config/ may name schema types (the include filter), nothing above.',
      from: { path: layer('config') },
      to: {
        path: [
          layer('operations'),
          layer('dialect'),
          layer('script'),
          layer('autogenerate'),
          layer('lint'),
        ],
      },
    },
    {
      name: 'util-at-bottom',
      severity: 'error',
      from: { path: [layer('util'), '^src/aludel-error\\.ts$'] },
      to: { path: '^src/(?!util/|aludel-error\\.ts)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
}
