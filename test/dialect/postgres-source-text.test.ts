import { describe, expect, it } from 'vitest'
import { sourceTextCandidates } from '../../src/dialect/postgres/postgres-source-text.ts'

describe('source-text candidates for printed expressions', () => {
  it.each([
    [
      "status::text = ANY (ARRAY['open'::character varying, 'done'::character varying]::text[])",
      "status IN ('open', 'done')",
    ],
    [
      "((status)::text = ANY ((ARRAY['a'::character varying, 'it''s'::character varying])::text[]))",
      "(status IN ('a', 'it''s'))",
    ],
    [
      "kind::text <> ALL (ARRAY['x'::character varying]::text[]) AND n > 0",
      "kind NOT IN ('x') AND n > 0",
    ],
    [
      '"Mixed Case"::text = ANY (ARRAY[\'a\'::character varying]::text[])',
      '"Mixed Case" IN (\'a\')',
    ],
  ])('%s', (printed, source) => {
    expect(sourceTextCandidates(printed)).toEqual([source])
  })

  it.each([
    'price > 0::numeric',
    "status = ANY (ARRAY['a'::text])",
    "kind::text = ALL (ARRAY['x'::character varying]::text[])",
  ])('offers nothing for %s', (printed) => {
    expect(sourceTextCandidates(printed)).toEqual([])
  })
})
