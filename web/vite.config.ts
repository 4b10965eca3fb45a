import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig, type Plugin } from 'vite'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

/**
 * A locale file imported with `?resident` loses its `ui.staff` texts, and with `?staff` keeps only them: residents
 * never download the staff interface's words, and the staff pages add them when they load (web/src/staff/texts.ts).
 */
function localeParts(): Plugin {
  return {
    name: 'nabij-locale-parts',
    enforce: 'pre',
    async load(id) {
      const [file = '', query = ''] = id.split('?')
      const part = new URLSearchParams(query)
      if (!file.endsWith('.json') || !(part.has('resident') || part.has('staff'))) return null
      this.addWatchFile(file)
      const { ui: { staff = {}, ...ui } = {}, ...rest } = JSON.parse(await readFile(file, 'utf8')) as { ui?: Record<string, unknown> }
      // A JSON.parse of a string literal: quicker for engines than an object literal of this size.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(part.has('staff') ? { ui: { staff } } : { ...rest, ui }))})`
    },
  }
}

export default defineConfig({
  plugins: [localeParts(), vue()],
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
