/**
 * sync.offline_handoff_s (issue 12): the time from a peer's start to its having a
 * counterparty's action that reached it only through a seeder. A real `trust
 * seeder` runs in its own process on the bench's loopback DHT; A and B are peers
 * in this process that are never open at the same time. Each run B comes online,
 * makes an offer and closes once the seeder holds it; then A's start is timed,
 * from opening its profile to its service having stored that offer. Median of runs.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { SeederStore } from '../src-main/core/store/seeders.js'
import { formatNetworkMode, type Network } from '../src-main/core/sync/index.js'
import { openPeer, type BenchPeer } from './bench-peer.js'
import { median } from './goal.js'

const TRUST_BIN = fileURLToPath(new URL('../bin/trust.mjs', import.meta.url))
const RUNS = 5
const SEED_WAIT_MS = 30_000

async function startSeeder(network: Network, root: string): Promise<{ key: string; child: ChildProcess }> {
  const mode = formatNetworkMode({ kind: 'bootstrap', nodes: network.bootstrap })
  const child = spawn(process.execPath, [TRUST_BIN, 'seeder', '--storage', mkdtempSync(join(root, 'seeder-')), '--network', mode], { stdio: ['ignore', 'pipe', 'inherit'] })
  const key = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`trust seeder exited (${code})`)))
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const m = /^seeder ([0-9a-f]{64})$/.exec(line)
      if (m) resolve(m[1]!)
      else reject(new Error(`unexpected seeder line ${line}`))
    })
  })
  return { key, child }
}

async function stopSeeder(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  await gone
}

/** Closes a peer the way a clean stop does: after its seeders hold what it signed. */
async function closeSeeded(p: BenchPeer): Promise<void> {
  const status = await p.peer.close({ seedWaitMs: SEED_WAIT_MS })
  p.db.close()
  if (status !== null && !status.allHeld) throw new Error('offline handoff: the seeder did not take what was signed')
}

export async function offlineHandoff(network: Network, root: string): Promise<{ seconds: number; runs: number[] }> {
  const seeder = await startSeeder(network, root)
  try {
    let a = await openPeer(network, root, 'oh-a')
    let b = await openPeer(network, root, 'oh-b')
    for (const p of [a, b]) new SeederStore(p.db).add(seeder.key, new Date().toISOString())
    const created = await a.peer.create({
      title: 'Bench',
      participants: [b.signer.publicKey],
      clauses: [{ id: 'price', title: 'Price', text: 'Bob pays 100 EUR.' }],
      deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    })
    const id = created.negotiation
    await closeSeeded(a)
    await b.peer.join(created.invite)
    await closeSeeded(b)
    const runs: number[] = []
    for (let run = 0; run < RUNS; run++) {
      b = await openPeer(network, root, 'oh-b', undefined, b)
      const { hash } = await b.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'price', text: `Bob pays ${200 + run} EUR.` }] })
      await closeSeeded(b)
      let arrived = 0
      const t0 = performance.now()
      a = await openPeer(network, root, 'oh-a', undefined, a, (peer) =>
        peer.on('message', (e) => {
          if (e.hash === hash) arrived = performance.now()
        }),
      )
      const deadline = Date.now() + 120_000
      while (arrived === 0) {
        if (Date.now() > deadline) throw new Error('offline handoff: the offer never arrived through the seeder')
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      runs.push((arrived - t0) / 1000)
      await closeSeeded(a)
    }
    return { seconds: median(runs), runs }
  } finally {
    await stopSeeder(seeder.child)
  }
}
