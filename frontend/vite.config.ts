import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server's CSP allows only same-origin files: no inlined assets.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // The editor page is imported on demand (App.svelte); CodeMirror and
        // its parser get chunks of their own, so that no page without an
        // editor loads them and each chunk stays under Vite's size warning.
        advancedChunks: {
          groups: [
            { name: 'codemirror-lang', test: /node_modules[\\/]@(lezer|codemirror[\\/]lang-|codemirror[\\/]language)/ },
            { name: 'codemirror', test: /node_modules[\\/](@codemirror|codemirror|style-mod|w3c-keyname|crelt)/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
