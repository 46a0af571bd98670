import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: one worker on the 2-core machines. Most files wait on
    // PostgreSQL, PGlite or a spawned process, so two workers keep both cores busy (CI time nearly halves).
    maxWorkers: 2,
    // Polls wait on real servers and a real browser; a loaded CI machine needs more than 1 s.
    expect: { poll: { timeout: 15_000 } },
  },
});
