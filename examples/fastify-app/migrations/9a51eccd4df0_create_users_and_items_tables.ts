/**
 * create users and items tables
 *
 * Revision ID: 9a51eccd4df0
 * Revises: <base>
 * Create Date: 2026-11-26T08:32:55.937Z
 */
import type { Operations } from 'aludel'
import { boolean, integer, serial, sql, table, text, timestamptz, varchar } from 'aludel'

export const revision = '9a51eccd4df0'
export const downRevision: string | readonly string[] | null = null
export const branchLabels: readonly string[] = []
export const dependsOn: readonly string[] = []
export const transactional = true

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable(
    table('users', {
      id: serial().primaryKey(),
      email: varchar(255).notNull().unique('uq_users_email'),
      hashedPassword: text('hashed_password').notNull(),
      isActive: boolean('is_active').notNull().default(true),
      createdAt: timestamptz('created_at').notNull().default(sql`CURRENT_TIMESTAMP`),
      fullname: varchar(200).notNull(),
    }),
  )

  await op.createTable(
    table('items', {
      id: serial().primaryKey(),
      title: varchar(200).notNull().index('ix_items_title'),
      description: text(),
      ownerId: integer('owner_id').notNull().references('users', 'id', {
        name: 'fk_items_owner_id_users',
        onDelete: 'cascade',
      }),
      createdAt: timestamptz('created_at').notNull().default(sql`CURRENT_TIMESTAMP`),
    }),
  )
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable(
    table('items', {
      id: serial().primaryKey(),
      title: varchar(200).notNull().index('ix_items_title'),
      description: text(),
      ownerId: integer('owner_id').notNull().references('users', 'id', {
        name: 'fk_items_owner_id_users',
        onDelete: 'cascade',
      }),
      createdAt: timestamptz('created_at').notNull().default(sql`CURRENT_TIMESTAMP`),
    }),
  )

  await op.dropTable(
    table('users', {
      id: serial().primaryKey(),
      email: varchar(255).notNull().unique('uq_users_email'),
      hashedPassword: text('hashed_password').notNull(),
      isActive: boolean('is_active').notNull().default(true),
      createdAt: timestamptz('created_at').notNull().default(sql`CURRENT_TIMESTAMP`),
      fullname: varchar(200).notNull(),
    }),
  )
}
