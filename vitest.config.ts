import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Tests drive real runners and real processes on a 2-core machine: give them room,
    // and keep files from competing for the CPU they measure.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    globalSetup: ['tests/global-setup.ts'],
  },
});
