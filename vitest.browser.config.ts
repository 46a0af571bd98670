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
    fileParallelism: false,
  },
});
