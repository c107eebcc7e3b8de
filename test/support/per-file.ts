import { afterAll } from 'vitest'

// Test files share worker processes (`isolate: false` in vitest.config.ts). What one file leaves
// in the environment — a `.env` that aludel loaded into process.env, say — must not reach the
// next file: each file ends with the environment it started with.
const saved = { ...process.env }

afterAll(() => {
  for (const key of Object.keys(process.env)) {
    if (!(key in saved)) delete process.env[key]
  }
  Object.assign(process.env, saved)
})
