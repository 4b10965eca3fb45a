import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

export default defineConfig({
  plugins: [vue()],
  server: {
    // The locale files and domain vocabulary live in shared/, outside web/.
    fs: { allow: [repoRoot] },
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
  build: {
    target: 'es2022',
    // No data: URIs: the server's strict CSP allows images from 'self' (and blob: previews) only.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
})
