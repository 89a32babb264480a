import { defineConfig } from 'vite';

/**
 * The console is served by the gateway under /console/ from dist/console. No inline script or
 * style ends up in index.html (the gateway's content security policy forbids them), and hashed
 * file names let the gateway cache assets for a year.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // Below this size Vite would inline assets as data: URLs; the policy allows only 'self' for scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: { proxy: { '^/(auth|memory|billing|observability|registry)/': 'http://localhost:8000' } },
});
