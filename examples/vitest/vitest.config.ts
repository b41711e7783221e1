import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Mirrors compilerOptions.paths in tsconfig.json: @lib/* -> src/lib/*.
export default defineConfig({
  resolve: {
    alias: {
      '@lib': fileURLToPath(new URL('./src/lib', import.meta.url)),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
  },
});
