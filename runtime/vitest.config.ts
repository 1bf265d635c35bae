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
    // One worker process for all files: vitest gives each new worker 60 s to start, which a loaded CI
    // machine once missed; the suites share no module state (each makes its own stores).
    isolate: false,
  },
});
