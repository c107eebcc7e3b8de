import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Every test talks to a real database (PGlite in-process, or the PostgreSQL server) and
    // some start the real server process or a browser: real work, real time limits.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Separate processes: each test file gets its own PGlite instances and module state.
    pool: 'forks',
    // Vitest's default on a 2-core machine is one worker; the tests wait on servers and child
    // processes often enough that two use the machine better.
    maxWorkers: 2,
    // Each test file's process compiles PGlite anew; V8's background optimizing recompilation
    // costs seconds of CPU that these short tests never win back.
    execArgv: ['--liftoff-only'],
  },
})
