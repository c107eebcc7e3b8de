import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // PGlite starts in ~0.4 s from a template and PostgreSQL tests create databases; both are
    // real, so tests get real time limits.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
