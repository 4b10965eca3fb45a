import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../../', import.meta.url))

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * A real Nabij server process, `node --import tsx server/src/main.ts`, as production runs it, on a loopback port.
 * Its output is kept so a test can wait for a log line and show it when something fails.
 */
export class ServerProcess {
  output = ''
  private readonly exited: Promise<number | null>
  private watchers: { pattern: RegExp; resolve: (line: string) => void }[] = []

  private constructor(readonly child: ChildProcess, readonly url: string) {
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString()
      for (const watcher of [...this.watchers]) {
        const line = this.output.split('\n').find((l) => watcher.pattern.test(l))
        if (line) {
          this.watchers.splice(this.watchers.indexOf(watcher), 1)
          watcher.resolve(line)
        }
      }
    }
    child.stdout!.on('data', collect)
    child.stderr!.on('data', collect)
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
  }

  /** Starts a server with `env` (DATABASE_URL or NABIJ_DATA_DIR, secrets, …) and waits until /readyz answers 200. */
  static async start(env: Record<string, string>, options: { readyTimeoutMs?: number } = {}): Promise<ServerProcess> {
    const port = await freePort()
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`)
    const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000)
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${server.output}`)
      if (await fetch(`${server.url}/readyz`).then((r) => r.ok, () => false)) return server
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    child.kill('SIGKILL')
    throw new Error(`server not ready:\n${server.output}`)
  }

  get pid(): number {
    return this.child.pid!
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** The first output line matching `pattern`, already written or to come. */
  waitForLine(pattern: RegExp): Promise<string> {
    const seen = this.output.split('\n').find((l) => pattern.test(l))
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve) => this.watchers.push({ pattern, resolve }))
  }

  /** kill -9: no handler runs, no connection is closed politely, nothing is flushed. */
  async crash(): Promise<void> {
    this.child.kill('SIGKILL')
    await this.exited
  }

  /** SIGTERM: the graceful shutdown of main.ts. */
  async stop(): Promise<number | null> {
    if (!this.running) return this.child.exitCode
    this.child.kill('SIGTERM')
    return this.exited
  }
}
