/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { graphqlDocuments } from './plugins/graphql-documents.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const server = 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  plugins: [graphqlDocuments(), react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // check-size.mjs reads dist/.vite/manifest.json; the Go handler never serves dot paths.
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: true,
    rolldownOptions: {
      onwarn(warning, warn) {
        // GraphiQL's React Compiler runtime marks modules "use no memo"; bundling drops the
        // directive harmlessly, so the warning is noise.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
  optimizeDeps: {
    // GraphiQL's worker setup imports Monaco's workers with ?worker, which only vite's own
    // worker plugin understands: serve it untouched instead of pre-bundling it (dev server).
    exclude: ['graphiql/setup-workers/vite', '@graphiql/react/setup-workers/vite'],
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/graphql': server,
      '/auth': server,
      '/dev-idp': server,
      '/healthz': server,
      '^/sites/[^/]+/review\\.ics$': server,
      '^/reviews/[^/]+/evidence\\.(csv|html)$': server,
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'plugins/**/*.test.ts'],
    css: false,
    restoreMocks: true,
    // Page tests render and type through whole forms: on a loaded 2-core machine one took
    // longer than vitest's 5 s default. A hang still fails.
    testTimeout: 20_000,
  },
});
