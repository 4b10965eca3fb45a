// Generates the next SQL migration from server/src/db/schema.ts (drizzle-kit), named after the first argument.
import { spawnSync } from 'node:child_process'

const name = process.argv[2] ?? 'change'
const run = spawnSync('npx', ['drizzle-kit', 'generate', '--name', name], { stdio: 'inherit' })
process.exit(run.status ?? 1)
