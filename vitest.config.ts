import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'modules/*/test/**/*.test.ts', 'cli/test/**/*.test.ts', 'console/test/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/support/build-services.global.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers than that only adds contention between real processes.
    maxWorkers: 2,
    // CI also writes a JSON report, from which .ci/run prints one "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'data/test-report.json' }]] : ['default'],
  },
});
