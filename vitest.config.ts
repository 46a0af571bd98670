import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Polls wait on real servers and a real browser; a loaded CI machine needs more than 1 s.
    expect: { poll: { timeout: 15_000 } },
  },
});
