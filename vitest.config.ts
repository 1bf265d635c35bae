import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup-rule-tester.ts'],
    // The CLI tests spawn the built binary; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One worker process for every file (the default on 2 cores is one worker anyway). Vitest gives a
    // new worker 60 s to start, and on a loaded CI machine a fresh fork per file once missed that (the
    // file's tests then never ran); the test files share no mutable state. Also halves the suite's time.
    isolate: false,
  },
});
