import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/servers.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The store suites share two servers; running files one after another keeps timing-sensitive
    // concurrency tests honest on a 2-core machine.
    fileParallelism: false,
  },
});
