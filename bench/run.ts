import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import type { BenchContext, BenchRow, Engine } from './harness.js'

/**
 * `npm run bench`: runs every scenario in bench/scenarios (or those named as arguments), prints one table with each
 * figure beside its same-run baseline and writes bench/results.json. This machine is noisy: read the ratios.
 */
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
const ctx: BenchContext = {
  engines: postgresUrl ? (['pglite', 'postgres'] as Engine[]) : ['pglite'],
  postgresUrl,
  quick: process.env.BENCH_QUICK === '1',
}
const wanted = process.argv.slice(2)
const dir = new URL('./scenarios/', import.meta.url)
const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()
const rows: BenchRow[] = []
for (const file of files) {
  const name = file.replace(/\.ts$/, '')
  if (wanted.length && !wanted.includes(name)) continue
  console.error(`bench: ${name}…`)
  const scenario = (await import(new URL(file, dir).href)).default as (ctx: BenchContext) => Promise<BenchRow[]>
  rows.push(...(await scenario(ctx)))
}

const header = ['scenario', 'engine', 'metric', 'value', 'baseline', 'baseline value', 'ratio', 'goal', 'met']
const table = rows.map((r) => [r.scenario, r.engine, r.metric, `${r.value} ${r.unit}`, r.baseline ?? '', r.baselineValue != null ? `${r.baselineValue} ${r.unit}` : '', r.ratio != null ? String(r.ratio) : '', r.goal ?? '', r.met == null ? '' : r.met ? 'yes' : 'NO'])
const markdown = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...table.map((cells) => `| ${cells.join(' | ')} |`)].join('\n')
console.log(markdown)
mkdirSync(new URL('.', import.meta.url), { recursive: true })
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2) + '\n')
process.exit(0)
