/**
 * Vite config for the page. Run from the repository root with `--config web/vite.config.ts`; the
 * root is pinned to this folder so paths do not depend on the working directory. The build lands
 * in dist/web, where the server serves it; in development the same-origin paths the page uses are
 * proxied to a server on the default HTTP port, so the page never needs a configurable URL.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const serverOrigin = 'http://127.0.0.1:8080';

export default defineConfig({
  root: webRoot,
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/ws': { target: serverOrigin, ws: true },
      '/healthz': serverOrigin,
      '/metrics': serverOrigin,
      '/history': serverOrigin,
    },
  },
});
