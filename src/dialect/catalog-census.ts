/**
 * The kinds of database objects a catalog census counts, so that `pull` can say what its models
 * leave out: each kind's count in the database, less what the pulled snapshot models of it.
 */

/** A kind of object the census counts, with the words `pull` reports it in. */
export const CENSUS_KINDS = {
  tables: 'tables',
  partitions: 'partitions',
  subpartitions: 'partitions of partitions (sub-partitioning)',
  enums: 'enum types',
  sequences: 'sequences',
  views: 'views',
  materializedViews: 'materialized views',
  functions: 'functions and procedures',
  aggregates: 'aggregates',
  windowFunctions: 'window functions',
  triggers: 'triggers',
  eventTriggers: 'event triggers',
  triggerStates: 'triggers and event triggers not simply enabled (DISABLE, ENABLE REPLICA/ALWAYS)',
  domains: 'domains',
  compositeTypes: 'composite types',
  rangeTypes: 'range types',
  baseTypes: 'base types',
  extensions: 'extensions',
  foreignTables: 'foreign tables',
  foreignServers: 'foreign servers and data wrappers',
  grants: 'privileges granted or revoked (GRANT, REVOKE)',
  defaultPrivileges: 'default privileges (ALTER DEFAULT PRIVILEGES)',
  policies: 'row-level security policies',
  rowSecurity: 'tables with row-level security enabled',
  rules: 'rules',
  publications: 'publications',
  collations: 'collations',
  operators: 'operators, operator classes and operator families',
  casts: 'casts',
  textSearch: 'text search configurations and dictionaries',
  statistics: 'extended statistics (CREATE STATISTICS)',
  unloggedTables: 'unlogged tables (pulled as ordinary tables)',
  inheritance: 'table inheritance links (INHERITS)',
  partitionIndexes: 'indexes of single partitions',
  partitionConstraints: 'constraints of single partitions',
  storageParameters: 'tables with storage parameters (WITH (...))',
  otherComments: 'comments on constraints and indexes',
} as const

/** One of {@link CENSUS_KINDS}. */
export type CensusKind = keyof typeof CENSUS_KINDS

/** How many objects of one kind a database holds. */
export interface CensusCount {
  readonly kind: CensusKind
  readonly count: number
}
