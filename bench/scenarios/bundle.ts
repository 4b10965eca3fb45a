import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'
import { ratio, type BenchContext, type BenchRow } from '../harness.js'

const dist = fileURLToPath(new URL('../../web/dist/', import.meta.url))
const repoNodeModules = fileURLToPath(new URL('../../node_modules/', import.meta.url))
const budgetJsKb = 90

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length

/** The files index.html makes the browser fetch before the app starts: the entry script, its preloads, the CSS. */
function entryFiles(root: string): { js: string[]; css: string[] } {
  const html = readFileSync(join(root, 'index.html'), 'utf8')
  const refs = (pattern: RegExp) => [...html.matchAll(pattern)].map((m) => join(root, m[1]!))
  return {
    js: [...refs(/<script[^>]+src="\/?([^"]+\.js)"/g), ...refs(/<link[^>]+rel="modulepreload"[^>]+href="\/?([^"]+\.js)"/g)],
    css: refs(/<link[^>]+rel="stylesheet"[^>]+href="\/?([^"]+\.css)"/g),
  }
}

/** The same-run baseline: an empty Vue app (createApp + mount, nothing else) built by the same Vite. */
async function emptyVueApp(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'nabij-bundle-'))
  try {
    mkdirSync(join(dir, 'src'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app"></div><script type="module" src="/src/main.js"></script>')
    writeFileSync(join(dir, 'src/main.js'), "import { createApp, h } from 'vue'\ncreateApp({ render: () => h('p', 'Nabij') }).mount('#app')\n")
    await build({
      root: dir,
      logLevel: 'silent',
      configFile: false,
      resolve: { alias: { vue: join(repoNodeModules, 'vue/dist/vue.runtime.esm-bundler.js') } },
      build: { outDir: join(dir, 'dist'), target: 'es2022' },
    })
    return entryFiles(join(dir, 'dist')).js.reduce((sum, file) => sum + gz(file), 0)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Size of the resident web app, gzip -9, from web/dist (`npm run bench` builds it first): the entry (what index.html
 * loads), the first screen of "/" (entry + the Dutch locale chunk + the home view), and each lazy chunk, beside an
 * empty Vue app built in the same run. Budget: the first screen's JS stays within 90 kB.
 */
export default async function bundleBench(_ctx: BenchContext): Promise<BenchRow[]> {
  if (!existsSync(join(dist, 'index.html'))) throw new Error('no web/dist: run `npm run build -w web` first (npm run bench does)')
  const baseline = await emptyVueApp()
  const assets = join(dist, 'assets')
  const all = readdirSync(assets)
  const entry = entryFiles(dist)
  const entryJs = entry.js.reduce((sum, file) => sum + gz(file), 0)
  const entryCss = entry.css.reduce((sum, file) => sum + gz(file), 0)
  const firstScreen = all.filter((f) => /^(nl|HomeView)-[\w-]+\.js$/.test(f)).map((f) => join(assets, f))
  const firstScreenJs = entryJs + firstScreen.reduce((sum, file) => sum + gz(file), 0)
  // The home view's own stylesheet arrives with its chunk on the first screen too.
  const firstScreenCss = entryCss + all.filter((f) => /^HomeView-[\w-]+\.css$/.test(f)).reduce((sum, f) => sum + gz(join(assets, f)), 0)
  const base = { scenario: 'web bundle', engine: '-' as const, unit: 'kB gzip' }
  const rows: BenchRow[] = [
    { ...base, metric: 'entry JS (index.html)', value: kb(entryJs), baseline: 'empty Vue app', baselineValue: kb(baseline), ratio: ratio(entryJs, baseline) },
    {
      ...base,
      metric: 'first screen JS (entry + nl + home)',
      value: kb(firstScreenJs),
      baseline: 'empty Vue app',
      baselineValue: kb(baseline),
      ratio: ratio(firstScreenJs, baseline),
      goal: `≤ ${budgetJsKb} kB`,
      met: kb(firstScreenJs) <= budgetJsKb,
    },
    { ...base, metric: 'entry CSS', value: kb(entryCss) },
    { ...base, metric: 'first screen CSS (entry + home)', value: kb(firstScreenCss) },
  ]

  // Lazy chunks, named without their hash; the entry's own files are counted above.
  const lazy = new Map<string, number>()
  const inEntry = new Set([...entry.js, ...entry.css])
  for (const file of all) {
    const path = join(assets, file)
    if (inEntry.has(path) || !/\.(js|css)$/.test(file)) continue
    const name = `${file.replace(/-[\w-]{8}\.(js|css)$/, '')}.${file.split('.').pop()}`
    lazy.set(name, (lazy.get(name) ?? 0) + gz(path))
  }
  for (const [name, bytes] of [...lazy].sort((a, b) => b[1] - a[1])) {
    rows.push({ ...base, metric: `lazy ${name}`, value: kb(bytes) })
  }
  return rows
}
