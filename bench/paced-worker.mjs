// An open-loop load generator (run in a worker thread by bench/paced.ts): requests leave on a fixed schedule, `rate`
// per second over at most `connections` keep-alive sockets, whatever the server's pace. Each latency counts from the
// moment its request was due, so a slow answer that holds up the next requests is charged to them too (no coordinated
// omission, as wrk2 measures).
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { parentPort, workerData } from 'node:worker_threads'

const { url, rate, connections, seconds, requests } = workerData
const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
const target = new URL(url)
const latencies = []
let errors = 0
let non2xx = 0
let pending = 0

function send(body, due) {
  pending++
  const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.resume()
    res.on('end', () => {
      if (res.statusCode < 200 || res.statusCode > 299) non2xx++
      latencies.push(performance.now() - due)
      pending--
    })
  })
  req.on('error', () => {
    errors++
    pending--
  })
  req.end(body)
}

const interval = 1000 / rate
const total = Math.round(rate * seconds)
const start = performance.now() + 10
let sent = 0
await new Promise((resolve) => {
  const tick = () => {
    const now = performance.now()
    while (sent < total && start + sent * interval <= now) {
      send(requests[sent % requests.length], start + sent * interval)
      sent++
    }
    if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()))
    else resolve()
  }
  setTimeout(tick, 10)
})
const end = performance.now()
while (pending > 0) await new Promise((resolve) => setTimeout(resolve, 5))
agent.destroy()
latencies.sort((a, b) => a - b)
const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0)
parentPort.postMessage({ sent, completed: latencies.length, seconds: (end - start) / 1000, p50: at(0.5), p99: at(0.99), max: at(1), errors, non2xx })
