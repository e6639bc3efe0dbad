// The load benchmark's own Playwright configuration (`cargo xtask bench --load`): one test,
// one worker, no browser; never part of the test command.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: 'load.spec.ts',
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: '../../target/load-results',
});
