// The published code is bundled: a command loads a handful of files instead of ~170 modules, which
// is most of what `aludel upgrade head` costs when there is nothing to do (see docs/architecture.md).
// Type declarations still come from tsc (tsconfig.build.json).
import { defineConfig } from 'rolldown'

export default defineConfig({
  input: { index: 'src/index.ts', 'cli/main': 'src/cli/main.ts' },
  platform: 'node',
  // Drivers are optional peers, loaded only for the URL in use; the SQL parser (WebAssembly) is
  // loaded from its package, and only by `aludel lint`.
  external: ['pg', '@electric-sql/pglite', 'mysql2', /^mysql2\//, 'libpg-query', /^node:/],
  output: {
    dir: 'dist',
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    sourcemap: true,
  },
})
