// The browser suite: the emulator console in real Chromium (Debian's /usr/bin/chromium through
// playwright-core). Kept out of `npm test` so that runs anywhere; .ci/run installs Chromium and
// runs this one too: `npx vitest run --config vitest.browser.config.ts`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Polls wait on real servers and a real browser; a loaded CI machine needs more than 1 s.
    expect: { poll: { timeout: 15_000 } },
    fileParallelism: false,
  },
});
