import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { freePort } from './server-process.js'

/** The newest installed PostgreSQL's programs (Debian layout), or a failure that says what is missing. */
export function binDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a)) : []
  if (versions.length === 0) throw new Error('this test starts a private PostgreSQL cluster and needs its server programs: apt-get install postgresql (initdb and pg_ctl under /usr/lib/postgresql/<version>/bin)')
  return join(root, versions[0]!, 'bin')
}

/**
 * A throw-away PostgreSQL cluster in a temporary directory, on its own loopback port, that a test may stop and restart
 * at will: never the shared server other tests use. PostgreSQL refuses to run as root, so its programs run as the
 * `postgres` user.
 */
export class PrivateCluster {
  private constructor(readonly dir: string, readonly port: number, private readonly bin: string) {}

  static async create(): Promise<PrivateCluster> {
    const bin = binDir()
    const dir = mkdtempSync('/tmp/nabij-pg-')
    const port = await freePort()
    const cluster = new PrivateCluster(dir, port, bin)
    if (userInfo().uid === 0) {
      chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'])), Number(execFileSync('id', ['-g', 'postgres'])))
    }
    cluster.run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
    await cluster.start()
    return cluster
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`
  }

  /** Starts and waits until it accepts connections. */
  async start(): Promise<void> {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-w', '-t', '60', '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'])
  }

  /** A fast shutdown, as an operator's restart or a failover does: sessions are cut, transactions rolled back. */
  async stop(): Promise<void> {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-w', '-t', '60', '-m', 'fast', 'stop'])
  }

  async dispose(): Promise<void> {
    try {
      await this.stop()
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true })
  }

  private run(program: string, args: string[]): void {
    const path = join(this.bin, program)
    const command = userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] as const : [path, args] as const
    try {
      execFileSync(command[0], command[1], { stdio: 'pipe', cwd: '/tmp' })
    } catch (err) {
      const log = existsSync(join(this.dir, 'log')) ? execFileSync('tail', ['-n', '20', join(this.dir, 'log')]).toString() : ''
      throw new Error(`${program} ${args.at(-1)} failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}\n${log}`, { cause: err })
    }
  }
}
