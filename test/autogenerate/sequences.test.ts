import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkModels, downgrade, upgrade } from '../../src/index.ts'
import { backends } from '../support/databases.ts'
import {
  freshDatabases,
  objectCatalog,
  roundTrip,
  SOURCES,
  stairwayBase,
  stairwayStep,
} from './schema-objects-support.ts'

const BASE = `import { bigint, integer, nextval, sequence, serial, table, text } from '${SOURCES}'

export const orderNo = sequence('order_no_seq', { start: 1000, increment: 5, cache: 10 })
export const invoiceNo = sequence('invoice_no_seq', {
  dataType: 'integer',
  minValue: 100,
  maxValue: 999999,
  cycle: true,
  ownedBy: 'invoices.number',
})
export const spare = sequence('spare_seq', { increment: -1 })

export const orders = table('orders', {
  id: integer().primaryKey().identity({ always: true, start: 10, minValue: 5, maxValue: 100000, cache: 20, cycle: true }),
  legacyId: serial('legacy_id'),
  orderNo: bigint('order_no', { mode: 'number' }).notNull().default(nextval(orderNo)),
  note: text(),
})

export const invoices = table('invoices', {
  number: integer().notNull().default(nextval(invoiceNo)),
})
`

describe.each(backends())('sequences on $backend', ({ backend, skip }) => {
  const database = freshDatabases(backend)

  it.skipIf(skip)(
    'models -> autogenerate -> upgrade -> check clean -> pull rebuilds the same catalog -> downgrade',
    async () => {
      const { migration, pulled } = await roundTrip(await database(), await database(), BASE)
      // Created before the tables that draw from them, owned once the column exists.
      expect(migration.indexOf('op.createSequence')).toBeLessThan(
        migration.indexOf('op.createTable'),
      )
      expect(migration).toContain(
        "await op.alterSequence('invoice_no_seq', { ownedBy: 'invoices.number', existingOwnedBy: null })",
      )
      // pull: serial stays serial, nextval names the sequence.
      expect(pulled).toContain("legacyId: serial('legacy_id')")
      expect(pulled).toContain('.default(nextval(orderNoSeq))')
      expect(pulled).toContain(
        "export const orderNoSeq = sequence('order_no_seq', { start: 1000, increment: 5, cache: 10 })",
      )
      expect(pulled).not.toContain('orders_legacy_id_seq')
    },
  )
})

const STEPS_BASE = `import { integer, nextval, sequence, table, text } from '${SOURCES}'

export const ticket = sequence('ticket_seq', { start: 100, cache: 5 })
export const owned = sequence('owned_seq', { ownedBy: 'tickets.serial_no' })

export const tickets = table('tickets', {
  id: integer().primaryKey().default(nextval(ticket)),
  serialNo: integer('serial_no').default(nextval(owned)),
  note: text(),
})
`

/** Each change of a sequence: the models after it. */
const STEPS: Record<string, (source: string) => string> = {
  'add a sequence and a column drawing from it': (s) =>
    s.replace(
      '  note: text(),',
      "  note: text(),\n  batch: integer().notNull().default(nextval(sequence('batch_seq', { dataType: 'integer' }))),",
    ),
  'change start, increment, cache, bounds, cycle and type': (s) =>
    s.replace(
      "sequence('ticket_seq', { start: 100, cache: 5 })",
      "sequence('ticket_seq', { dataType: 'integer', start: 200, increment: 10, cache: 1, minValue: 50, maxValue: 100000, cycle: true })",
    ),
  'give a sequence an owner': (s) =>
    s.replace(
      "sequence('ticket_seq', { start: 100, cache: 5 })",
      "sequence('ticket_seq', { start: 100, cache: 5, ownedBy: 'tickets.id' })",
    ),
  'take its owner away': (s) =>
    s.replace("sequence('owned_seq', { ownedBy: 'tickets.serial_no' })", "sequence('owned_seq')"),
  'drop an owned sequence with the column that owns it': (s) =>
    s
      .replace("export const owned = sequence('owned_seq', { ownedBy: 'tickets.serial_no' })\n", '')
      .replace("  serialNo: integer('serial_no').default(nextval(owned)),\n", ''),
  'drop a sequence, keeping the column without its default': (s) =>
    s
      .replace("export const owned = sequence('owned_seq', { ownedBy: 'tickets.serial_no' })\n", '')
      .replace('.default(nextval(owned))', ''),
  'move the owner to another column': (s) =>
    s
      .replace("{ ownedBy: 'tickets.serial_no' }", "{ ownedBy: 'tickets.other_no' }")
      .replace('  note: text(),', "  note: text(),\n  otherNo: integer('other_no'),"),
}

describe.each(backends())('each change of a sequence on $backend', ({ backend, skip }) => {
  const stairway = stairwayBase(backend, skip !== undefined, STEPS_BASE)

  it.skipIf(skip).each(Object.entries(STEPS))(
    '%s: up, check clean, down restores the catalog',
    async (_, edit) => {
      const { db, models, base } = stairway()
      await stairwayStep(db, models, edit(STEPS_BASE), base)
    },
  )

  it.skipIf(skip)('rename a sequence by hand: op.renameSequence and its reverse', async () => {
    const { db, models, base } = stairway()
    const before = await objectCatalog(db)
    models.project.writeMigration({
      revision: 'renameseq001',
      down: base,
      upgrade: "await op.renameSequence('ticket_seq', 'ticket_no_seq')",
      downgrade: "await op.renameSequence('ticket_no_seq', 'ticket_seq')",
    })
    await upgrade(models.project.config, 'head')
    expect((await objectCatalog(db)).sequences.join('\n')).toContain('public.ticket_no_seq bigint')
    await downgrade(models.project.config, base)
    expect(await objectCatalog(db)).toEqual(before)
    rmSync(join(models.project.migrationsDir, 'renameseq001_step.ts'))
  })

  it.skipIf(skip)(
    'rename a sequence in the models: asked as a rename; answered, it is renamed and keeps its counter',
    async () => {
      const { db, models, base } = stairway()
      await db.query('INSERT INTO tickets (note) VALUES ($1)', ['first'])
      const counter = () => db.query('SELECT last_value, is_called FROM ticket_seq')
      const before = await counter()
      // A value was drawn (with CACHE 5 the server logs the whole cached block as used).
      expect(before).toEqual([{ last_value: expect.anything(), is_called: true }])
      const renamed = STEPS_BASE.replace("sequence('ticket_seq',", "sequence('ticket_no_seq',")
      const { differences } = await checkModels(models.useModels(renamed))
      expect(differences).toContain(
        'sequence ticket_seq is gone and ticket_no_seq is new: a rename, or a drop and an add?',
      )
      const migration = await stairwayStep(
        db,
        models,
        renamed,
        base,
        new Map([['ticket_seq', 'ticket_no_seq']]),
      )
      expect(migration).toContain("await op.renameSequence('ticket_seq', 'ticket_no_seq')")
      expect(migration).not.toContain('createSequence')
      expect(migration).not.toContain('alterColumn')
      expect(await counter()).toEqual(before)
      await db.query('DELETE FROM tickets')
    },
  )

  it.skipIf(skip)('reports changed identity options as a manual step, with the SQL', async () => {
    const { models } = stairway()
    const config = models.useModels(
      STEPS_BASE.replace(
        '  note: text(),',
        '  note: text(),\n  seq: integer().identity({ cache: 10, cycle: true }),',
      ),
    )
    const script = await models.generate(config, 'identity')
    await upgrade(config, 'head')
    const changed = models.useModels(
      STEPS_BASE.replace(
        '  note: text(),',
        '  note: text(),\n  seq: integer().identity({ cache: 20, maxValue: 1000 }),',
      ),
    )
    const { differences } = await checkModels(changed)
    expect(differences).toEqual([
      expect.stringMatching(
        /^manual step: tickets\.seq: the database column is GENERATED BY DEFAULT AS IDENTITY \(CACHE 10 CYCLE\), the models declare GENERATED BY DEFAULT AS IDENTITY \(MAXVALUE 1000 CACHE 20\)/,
      ),
    ])
    await downgrade(config, '-1')
    rmSync(script.path)
  })
})
