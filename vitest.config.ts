import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The console keeps the default reporter; .ci/run counts results from the JSON file.
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest.json' },
  },
})
