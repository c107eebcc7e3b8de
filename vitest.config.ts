import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/per-file.ts'],
    // Real databases and real processes: a test's time limit reflects its work, and none comes
    // near it on a busy 2-core machine (see docs/testing.md).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Each test file runs in a fresh process that compiles PGlite's WebAssembly anew; V8's
    // background recompilation of its hottest functions with the optimizing compiler costs
    // seconds of CPU per process that these short runs never win back (the `aludel` command
    // does the same, see bin/aludel.js).
    execArgv: ['--liftoff-only'],
    // Vitest's default on 2 cores is a single worker. Most tests wait on a server, a child
    // process or a lock as much as they compute, so two keep the machine busy.
    maxWorkers: 2,
    isolate: false,
  },
})
