import type {
  ColumnDef,
  ForeignKeyDef,
  ReferentialAction,
  SchemaSnapshot,
  TableDef,
} from '../../src/schema/schema-snapshot.ts'
import {
  check,
  column,
  enumDef,
  foreignKey,
  index,
  lit,
  primaryKey,
  snapshot,
  sql,
  T,
  table,
  unique,
} from '../support/snapshot-literals.ts'

/**
 * A realistic model of a multi-tenant project-tracking SaaS: 23 tables in three schemas (the
 * default one, `auth` and `billing`), four enums, composite keys, self references, a foreign-key
 * cycle between `organizations` and `billing.accounts`, partial, expression, GIN and BRIN
 * indexes, checks, comments, identity and serial columns. Named by aludel's naming convention.
 */
export function saasSchema(): SchemaSnapshot {
  return snapshot(
    [
      users,
      sessions,
      apiKeys,
      organizations,
      memberships,
      teams,
      teamMembers,
      projects,
      tasks,
      taskComments,
      attachments,
      tags,
      taskTags,
      accounts,
      plans,
      subscriptions,
      invoices,
      invoiceLines,
      payments,
      auditLog,
      notifications,
      settings,
      webhooks,
    ],
    [
      enumDef('user_role', ['member', 'admin', 'owner'], 'auth'),
      enumDef('task_status', ['todo', 'doing', 'done']),
      enumDef('invoice_status', ['draft', 'open', 'paid', 'void'], 'billing'),
      enumDef('currency', ['eur', 'usd'], 'billing'),
    ],
  )
}

const identity = { always: false, start: undefined, increment: undefined }
const id = column('id', T.bigint, { nullable: false, identity })
const notNull = (
  name: string,
  type: Parameters<typeof column>[1],
  extra: Partial<ColumnDef> = {},
) => column(name, type, { nullable: false, ...extra })
const createdAt = notNull('created_at', T.timestamp(true), { default: sql('now()') })

function fk(
  table: string,
  columnName: string,
  target: string,
  options: { schema?: string; onDelete?: ReferentialAction; columns?: readonly string[] } = {},
): ForeignKeyDef {
  return foreignKey(
    `fk_${table}_${columnName}_${target}`,
    [columnName],
    target,
    options.columns ?? ['id'],
    {
      referencedSchema: options.schema,
      onDelete: options.onDelete,
    },
  )
}

function entity(name: string, schema: string | undefined, extra: Partial<TableDef>): TableDef {
  return table(name, {
    schema,
    primaryKey: primaryKey(`pk_${name}`, ['id']),
    ...extra,
    columns: [id, ...(extra.columns ?? [])],
  })
}

const users = entity('users', 'auth', {
  columns: [
    notNull('email', T.varchar(255)),
    notNull('role', T.enum('user_role', 'auth'), { default: lit('member') }),
    column('manager_id', T.bigint),
    createdAt,
  ],
  foreignKeys: [fk('users', 'manager_id', 'users', { schema: 'auth', onDelete: 'set null' })],
  uniques: [unique('uq_users_email', ['email'])],
  indexes: [index('ix_users_lower_email', [{ expression: 'lower((email)::text)' }])],
  comment: 'people who can sign in',
})

const sessions = table('sessions', {
  schema: 'auth',
  columns: [
    notNull('id', T.uuid, { default: sql('gen_random_uuid()') }),
    notNull('user_id', T.bigint),
    notNull('expires_at', T.timestamp(true)),
    createdAt,
  ],
  primaryKey: primaryKey('pk_sessions', ['id']),
  foreignKeys: [fk('sessions', 'user_id', 'users', { schema: 'auth', onDelete: 'cascade' })],
  indexes: [index('ix_sessions_user_id', ['user_id'])],
})

const apiKeys = entity('api_keys', 'auth', {
  columns: [
    notNull('user_id', T.bigint),
    notNull('key_hash', T.char(64)),
    notNull('scopes', T.array(T.text), { default: sql("'{}'::text[]") }),
    column('last_used_at', T.timestamp(true, 3)),
  ],
  foreignKeys: [fk('api_keys', 'user_id', 'users', { schema: 'auth', onDelete: 'cascade' })],
  uniques: [unique('uq_api_keys_key_hash', ['key_hash'])],
})

const organizations = entity('organizations', undefined, {
  columns: [
    notNull('name', T.text),
    notNull('owner_id', T.bigint),
    column('billing_account_id', T.bigint),
    createdAt,
  ],
  foreignKeys: [
    fk('organizations', 'owner_id', 'users', { schema: 'auth' }),
    fk('organizations', 'billing_account_id', 'accounts', { schema: 'billing' }),
  ],
  checks: [check('ck_organizations_name', "name <> ''::text")],
})

const memberships = table('memberships', {
  columns: [
    notNull('organization_id', T.bigint),
    notNull('user_id', T.bigint),
    notNull('role', T.enum('user_role', 'auth'), { default: lit('member') }),
  ],
  primaryKey: primaryKey('pk_memberships', ['organization_id', 'user_id']),
  foreignKeys: [
    fk('memberships', 'organization_id', 'organizations', { onDelete: 'cascade' }),
    fk('memberships', 'user_id', 'users', { schema: 'auth', onDelete: 'cascade' }),
  ],
  indexes: [index('ix_memberships_user_id', ['user_id'])],
})

const teams = entity('teams', undefined, {
  columns: [notNull('organization_id', T.bigint), notNull('name', T.varchar(100))],
  foreignKeys: [fk('teams', 'organization_id', 'organizations', { onDelete: 'cascade' })],
  uniques: [unique('uq_teams_organization_id_name', ['organization_id', 'name'])],
})

const teamMembers = table('team_members', {
  columns: [notNull('team_id', T.bigint), notNull('user_id', T.bigint)],
  primaryKey: primaryKey('pk_team_members', ['team_id', 'user_id']),
  foreignKeys: [
    fk('team_members', 'team_id', 'teams', { onDelete: 'cascade' }),
    fk('team_members', 'user_id', 'users', { schema: 'auth', onDelete: 'cascade' }),
  ],
})

const projects = entity('projects', undefined, {
  columns: [
    notNull('organization_id', T.bigint),
    column('team_id', T.bigint),
    notNull('name', T.varchar(200)),
    notNull('archived', T.boolean, { default: lit(false) }),
    notNull('budget', T.numeric(12, 2), { default: lit(0) }),
  ],
  foreignKeys: [
    fk('projects', 'organization_id', 'organizations', { onDelete: 'cascade' }),
    fk('projects', 'team_id', 'teams', { onDelete: 'set null' }),
  ],
  checks: [check('ck_projects_budget', 'budget >= (0)::numeric')],
  indexes: [index('ix_projects_organization_id', ['organization_id'], { where: 'NOT archived' })],
})

const tasks = entity('tasks', undefined, {
  columns: [
    notNull('project_id', T.bigint),
    column('parent_id', T.bigint),
    column('assignee_id', T.bigint),
    notNull('title', T.text),
    notNull('status', T.enum('task_status'), { default: lit('todo') }),
    notNull('priority', T.smallint, { default: lit(3) }),
    column('due', T.date),
    column('search', T.custom('tsvector')),
  ],
  foreignKeys: [
    fk('tasks', 'project_id', 'projects', { onDelete: 'cascade' }),
    fk('tasks', 'parent_id', 'tasks'),
    fk('tasks', 'assignee_id', 'users', { schema: 'auth', onDelete: 'set null' }),
  ],
  checks: [check('ck_tasks_priority', 'priority >= 1 AND priority <= 5')],
  indexes: [
    index('ix_tasks_project_id_status', ['project_id', 'status']),
    index('ix_tasks_due', [{ column: 'due', order: 'desc', nulls: 'last' }]),
    index('ix_tasks_search', ['search'], { method: 'gin' }),
  ],
})

const taskComments = entity('task_comments', undefined, {
  columns: [
    notNull('task_id', T.bigint),
    column('author_id', T.bigint),
    notNull('body', T.text),
    createdAt,
  ],
  foreignKeys: [
    fk('task_comments', 'task_id', 'tasks', { onDelete: 'cascade' }),
    fk('task_comments', 'author_id', 'users', { schema: 'auth', onDelete: 'set null' }),
  ],
  indexes: [
    index('ix_task_comments_task_id', ['task_id', { column: 'created_at', order: 'desc' }]),
  ],
})

const attachments = entity('attachments', undefined, {
  columns: [
    notNull('task_id', T.bigint),
    notNull('file_name', T.text),
    notNull('size', T.bigint),
    column('content_type', T.varchar(127)),
  ],
  foreignKeys: [fk('attachments', 'task_id', 'tasks', { onDelete: 'cascade' })],
  checks: [check('ck_attachments_size', 'size >= 0')],
})

const tags = entity('tags', undefined, {
  columns: [
    notNull('organization_id', T.bigint),
    notNull('name', T.varchar(50)),
    column('color', T.char(7)),
  ],
  foreignKeys: [fk('tags', 'organization_id', 'organizations', { onDelete: 'cascade' })],
  uniques: [unique('uq_tags_organization_id_name', ['organization_id', 'name'])],
})

const taskTags = table('task_tags', {
  columns: [notNull('task_id', T.bigint), notNull('tag_id', T.bigint)],
  primaryKey: primaryKey('pk_task_tags', ['task_id', 'tag_id']),
  foreignKeys: [
    fk('task_tags', 'task_id', 'tasks', { onDelete: 'cascade' }),
    fk('task_tags', 'tag_id', 'tags', { onDelete: 'cascade' }),
  ],
})

const accounts = entity('accounts', 'billing', {
  columns: [
    notNull('organization_id', T.bigint),
    notNull('currency', T.enum('currency', 'billing'), { default: lit('eur') }),
    notNull('balance', T.numeric(12, 2), { default: lit(0) }),
  ],
  foreignKeys: [fk('accounts', 'organization_id', 'organizations')],
  uniques: [unique('uq_accounts_organization_id', ['organization_id'])],
})

const plans = entity('plans', 'billing', {
  columns: [
    notNull('code', T.varchar(32)),
    notNull('price', T.numeric(10, 2)),
    notNull('period', T.interval, { default: sql("'1 mon'::interval") }),
  ],
  uniques: [unique('uq_plans_code', ['code'])],
})

const subscriptions = entity('subscriptions', 'billing', {
  columns: [
    notNull('account_id', T.bigint),
    notNull('plan_id', T.bigint),
    notNull('starts_at', T.timestamp(true)),
    column('ends_at', T.timestamp(true)),
  ],
  foreignKeys: [
    fk('subscriptions', 'account_id', 'accounts', { schema: 'billing', onDelete: 'cascade' }),
    fk('subscriptions', 'plan_id', 'plans', { schema: 'billing' }),
  ],
  checks: [check('ck_subscriptions_period', 'ends_at IS NULL OR ends_at > starts_at')],
})

const invoices = entity('invoices', 'billing', {
  columns: [
    notNull('account_id', T.bigint),
    notNull('number', T.varchar(32)),
    notNull('status', T.enum('invoice_status', 'billing'), { default: lit('draft') }),
    notNull('total', T.numeric(12, 2)),
    column('issued_at', T.timestamp(true)),
  ],
  foreignKeys: [fk('invoices', 'account_id', 'accounts', { schema: 'billing' })],
  uniques: [unique('uq_invoices_number', ['number'])],
  indexes: [
    index('ix_invoices_open', ['account_id'], { where: "status = 'open'::billing.invoice_status" }),
  ],
})

const invoiceLines = entity('invoice_lines', 'billing', {
  columns: [
    notNull('invoice_id', T.bigint),
    notNull('description', T.text),
    notNull('quantity', T.integer, { default: lit(1) }),
    notNull('unit_price', T.numeric(12, 2)),
  ],
  foreignKeys: [
    fk('invoice_lines', 'invoice_id', 'invoices', { schema: 'billing', onDelete: 'cascade' }),
  ],
  checks: [check('ck_invoice_lines_quantity', 'quantity > 0')],
})

const payments = entity('payments', 'billing', {
  columns: [
    notNull('invoice_id', T.bigint),
    notNull('amount', T.numeric(12, 2)),
    notNull('paid_at', T.timestamp(true), { default: sql('now()') }),
    column('method', T.text),
  ],
  foreignKeys: [fk('payments', 'invoice_id', 'invoices', { schema: 'billing' })],
})

const auditLog = table('audit_log', {
  columns: [
    notNull('id', T.bigint, { serial: true }),
    column('actor_id', T.bigint),
    notNull('action', T.text),
    notNull('payload', T.jsonb, { default: lit({}) }),
    notNull('at', T.timestamp(true), { default: sql('now()') }),
  ],
  primaryKey: primaryKey('pk_audit_log', ['id']),
  foreignKeys: [fk('audit_log', 'actor_id', 'users', { schema: 'auth', onDelete: 'set null' })],
  indexes: [index('ix_audit_log_at', ['at'], { method: 'brin' })],
  comment: 'append-only',
})

const notifications = entity('notifications', undefined, {
  columns: [
    notNull('user_id', T.bigint),
    notNull('kind', T.text),
    column('read_at', T.timestamp(true)),
    column('payload', T.json),
  ],
  foreignKeys: [fk('notifications', 'user_id', 'users', { schema: 'auth', onDelete: 'cascade' })],
  indexes: [
    index('ix_notifications_unread', ['user_id'], { where: 'read_at IS NULL', include: ['kind'] }),
  ],
})

const settings = table('settings', {
  columns: [notNull('organization_id', T.bigint), notNull('data', T.jsonb, { default: lit({}) })],
  primaryKey: primaryKey('pk_settings', ['organization_id']),
  foreignKeys: [fk('settings', 'organization_id', 'organizations', { onDelete: 'cascade' })],
})

const webhooks = entity('webhooks', undefined, {
  columns: [
    notNull('organization_id', T.bigint),
    notNull('url', T.text),
    notNull('secret', T.text),
    notNull('events', T.array(T.text)),
    notNull('active', T.boolean, { default: lit(true) }),
  ],
  foreignKeys: [fk('webhooks', 'organization_id', 'organizations', { onDelete: 'cascade' })],
  checks: [check('ck_webhooks_url', "url ~ '^https://'::text")],
})
