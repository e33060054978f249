import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end suites share one real stack (Temporal, PostgreSQL, Docker); running files in
    // parallel on two cores only makes them slower and their timings noisier.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
