/**
 * Negotiations over the network (DESIGN section 5; issue 4 item 8). Every peer
 * runs in this process with its own SQLite file and Corestore, on a local DHT
 * bound to 127.0.0.1 (hyperdht/testnet): real signatures, real fsyncs, real
 * replication over loopback.
 *
 * sync.roundtrip_p50_ms / p99_ms: from the call of one peer's action (an OFFER:
 *   sign, store, append) to the other peer's service having folded and stored it.
 * sync.concurrent_1000_s: wall time for 1,000 two-party negotiations spread over
 *   10 peers (each in its own child process, on the same DHT), each created, joined by
 *   invite, accepted and finalized by both, to reach BINDING at both ends with one
 *   binding hash; sync.concurrent_1000_lost counts those that did not.
 * sync.overhead_vs_hypercore: median time (of 3, interleaved) for a peer coming online to replicate and
 *   ingest 10,000 envelopes (verify, fold, store, receipt) divided by the time
 *   bare Hypercore takes to replicate the same 10,000 byte strings, both measured
 *   from joining the topic on the same DHT to the last entry, in the same run.
 * sync.offline_handoff_s: from a peer's start to its having a counterparty's action
 *   that reached it only through a seeder (offline-handoff.ts).
 *
 * TRUST_BENCH_SYNC_ONLY=offline_handoff runs that figure alone (the others keep
 * their last results in bench/results.json): the whole group takes minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Corestore from 'corestore'
import type Hypercore from 'hypercore'
import type { SwarmConnection } from 'hyperswarm'
import { createNetwork, createTopicSecret, formatNetworkMode, topicFromSecret, type Network, type SyncLimits } from '../src-main/core/sync/index.js'
import { median } from './goal.js'
import { SyncWorker } from './sync-worker-client.js'
import { closePeer, openPeer, type BenchPeer } from './bench-peer.js'
import type { BenchResult } from './types.js'
import { offlineHandoff } from './offline-handoff.js'

export const group = 'sync'

/** The sizes of the brief; TRUST_BENCH_SYNC_SCALE=0.1 runs a tenth of each, for a quick look. */
const SCALE = Number(process.env.TRUST_BENCH_SYNC_SCALE ?? '1') || 1
const ROUNDTRIPS = Math.max(20, Math.round(200 * SCALE))
const CONCURRENT = Math.max(10, Math.round(1_000 * SCALE))
const CONCURRENT_PEERS = 10
const PEERS_PER_WORKER = 1
const OVERHEAD_ENVELOPES = Math.max(100, Math.round(10_000 * SCALE))
/** Interleaved repetitions of ours and bare; their medians are compared. */
const OVERHEAD_RUNS = 3
const DAY = 86_400_000
const CLAUSES = [
  { id: 'price', title: 'Price', text: 'Bob pays 100 EUR.' },
  { id: 'delivery', title: 'Delivery', text: 'Within 14 days.' },
]


function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}



/** Creates a negotiation between `a` and `b` and waits until both see it NEGOTIATING. */
async function pair(a: BenchPeer, b: BenchPeer): Promise<string> {
  const created = await a.peer.create({
    title: 'Bench',
    participants: [b.signer.publicKey],
    clauses: CLAUSES,
    deadline: new Date(Date.now() + 30 * DAY).toISOString(),
  })
  await b.peer.join(created.invite)
  const id = created.negotiation
  await until(() => a.peer.get(id).status === 'NEGOTIATING', 'the JOIN at the creator', 60_000)
  return id
}

/** Waits for `hash` to be stored by `p`'s service (any verdict). */
function stored(p: BenchPeer, hash: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (e: { hash: string }): void => {
      if (e.hash !== hash) return
      p.peer.off('message', on)
      resolve()
    }
    p.peer.on('message', on)
  })
}

async function roundtrips(network: Network, root: string): Promise<number[]> {
  const a = await openPeer(network, root, 'rt-a')
  const b = await openPeer(network, root, 'rt-b')
  try {
    const id = await pair(a, b)
    const times: number[] = []
    for (let i = 0; i < ROUNDTRIPS + 10; i++) {
      const [from, to] = i % 2 === 0 ? [a, b] : [b, a]
      // The receiver's listener is keyed by hash, known only once signed: catch every message, match after.
      const seen = new Map<string, number>()
      const on = (e: { hash: string }): void => void seen.set(e.hash, performance.now())
      to.peer.on('message', on)
      const start = performance.now()
      const { hash } = await from.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'price', text: `Bob pays ${200 + i} EUR.` }] })
      if (!seen.has(hash)) await stored(to, hash)
      const end = seen.get(hash) ?? performance.now()
      to.peer.off('message', on)
      if (i >= 10) times.push(end - start) // the first ten warm the connection and caches
    }
    const s = b.peer.get(id)
    if (s.applied.length !== 2 + ROUNDTRIPS + 10 || s.termsHash !== a.peer.get(id).termsHash) throw new Error('roundtrip: the peers diverged')
    return times
  } finally {
    await closePeer(a)
    await closePeer(b)
  }
}

/**
 * 1,000 two-party negotiations over 10 peers, each in its own child process
 * (sync-worker.ts), so they share both cores as real peers would. Each side accepts and finalizes as soon as its own
 * state allows (sync-worker.ts). Timed from the first create to the last BINDING.
 */
async function concurrent(network: Network, root: string): Promise<{ seconds: number; lost: number; startedAt: number }> {
  const mode = formatNetworkMode({ kind: 'bootstrap', nodes: network.bootstrap })
  const bound = new Map<string, Map<number, string | null>>()
  const workers: SyncWorker[] = []
  for (let w = 0; w < CONCURRENT_PEERS / PEERS_PER_WORKER; w++) {
    // e.peer is the worker's own index of the peer: make it global.
    const first = w * PEERS_PER_WORKER
    workers.push(new SyncWorker((e) => bound.set(e.negotiation, (bound.get(e.negotiation) ?? new Map()).set(first + e.peer, e.bindingHash))))
  }
  try {
    const keys: string[][] = await Promise.all(workers.map((w) => w.call<string[]>('open', { network: mode, count: PEERS_PER_WORKER, root })))
    const at = (i: number): { worker: SyncWorker; peer: number; key: string } => {
      const w = Math.floor(i / PEERS_PER_WORKER)
      return { worker: workers[w]!, peer: i % PEERS_PER_WORKER, key: keys[w]![i % PEERS_PER_WORKER]! }
    }
    const pairs = new Map<string, [number, number]>()
    const start = performance.now()
    const jobs: Promise<void>[] = []
    for (let i = 0; i < CONCURRENT; i++) {
      const a = i % CONCURRENT_PEERS
      const b = (a + 1 + (Math.floor(i / CONCURRENT_PEERS) % (CONCURRENT_PEERS - 1))) % CONCURRENT_PEERS
      jobs.push(
        (async () => {
          const created = await at(a).worker.call<{ negotiation: string; invite: string }>('create', { peer: at(a).peer, partner: at(b).key, title: `Bench ${i}` })
          pairs.set(created.negotiation, [a, b])
          await at(b).worker.call('join', { peer: at(b).peer, invite: created.invite })
        })(),
      )
    }
    // A join() that times out goes on in the background: only the final states count.
    await Promise.allSettled(jobs)
    const startedAt = (performance.now() - start) / 1000
    const complete = (id: string): boolean => {
      const seen = bound.get(id)
      return seen !== undefined && seen.size === 2 && new Set(seen.values()).size === 1 && [...seen.values()][0] !== null
    }
    try {
      await until(() => [...pairs.keys()].every(complete), 'every negotiation to bind at both ends', 300_000)
    } catch {
      // Counted below as lost.
    }
    const seconds = (performance.now() - start) / 1000
    const lost = CONCURRENT - [...pairs.keys()].filter(complete).length
    return { seconds, lost, startedAt }
  } finally {
    await Promise.all(workers.map((w) => w.close()))
  }
}

/**
 * Ours: B comes online and ingests A's 10,000 envelopes. Bare: one Hypercore
 * replicated over the same DHT. Both are repeated OVERHEAD_RUNS times,
 * interleaved, and the medians are compared: one sample of either varies by a
 * quarter here. Each run brings a different joiner online (B1, B2, ...: all
 * joined, then offline while A makes its offers), so every run starts cold.
 */
async function overhead(network: Network, root: string): Promise<{ ours: number; bare: number; oursRuns: number[]; bareRuns: number[] }> {
  // One author sends 10,000 entries: far over the default per-identity token bucket, raised here on purpose.
  const limits: Partial<SyncLimits> = { entriesPerSecond: 1_000_000, entryBurst: 1_000_000 }
  const a = await openPeer(network, root, 'ov-a', limits)
  const joiners: BenchPeer[] = []
  for (let run = 0; run < OVERHEAD_RUNS; run++) joiners.push(await openPeer(network, root, `ov-b${run}`, limits))
  try {
    const created = await a.peer.create({
      title: 'Bench',
      participants: joiners.map((b) => b.signer.publicKey),
      clauses: CLAUSES,
      deadline: new Date(Date.now() + 30 * DAY).toISOString(),
    })
    const id = created.negotiation
    for (const b of joiners) await b.peer.join(created.invite)
    await until(() => a.peer.get(id).status === 'NEGOTIATING', 'every JOIN at the creator', 60_000)
    for (const b of joiners) await closePeer(b)
    const hashes: string[] = []
    for (let i = 0; hashes.length < OVERHEAD_ENVELOPES; i++) {
      const r = await a.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'price', text: `Bob pays ${1000 + i} EUR.` }] })
      hashes.push(r.hash)
    }
    const last = hashes[hashes.length - 1]!
    const payload = a.db
      .prepare("SELECT bytes FROM messages WHERE negotiation = ? AND author = ? AND type = 'OFFER' ORDER BY seq")
      .pluck()
      .all(id, a.signer.publicKey) as Buffer[]

    const oursRuns: number[] = []
    const bareRuns: number[] = []
    for (const b of joiners) {
      // Ours, timed from B's open (store, topic joins) to B having stored the last envelope.
      // (Event, not polling: get() on a 10,000-message negotiation would steal the time it measures.)
      const t0 = performance.now()
      let lastAt = 0
      const online = await openPeer(network, root, 'ov-b', limits, b, (peer) =>
        peer.on('message', (e) => {
          if (e.hash === last) lastAt = performance.now()
        }),
      )
      await until(() => lastAt > 0, "B to ingest A's envelopes", 600_000)
      oursRuns.push(lastAt - t0)
      if (online.peer.get(id).termsHash !== a.peer.get(id).termsHash) throw new Error('overhead: the peers diverged')
      await closePeer(online)
      bareRuns.push(await bareHypercore(network, root, payload))
    }
    return { ours: median(oursRuns), bare: median(bareRuns), oursRuns, bareRuns }
  } finally {
    await closePeer(a).catch(() => {})
  }
}

/** Corestore.replicate (not in sync/holepunch.d.ts, which types only what sync/ uses). */
function replicate(store: Corestore, conn: SwarmConnection): void {
  ;(store as unknown as { replicate(stream: unknown): unknown }).replicate(conn)
}

/** The same bytes through bare Corestore + Hyperswarm: writer appends (untimed), reader joins, downloads all. */
async function bareHypercore(network: Network, root: string, blocks: Buffer[]): Promise<number> {
  const writerStore = new Corestore(mkdtempSync(join(root, 'bare-w-')))
  const readerStore = new Corestore(mkdtempSync(join(root, 'bare-r-')))
  const writer = writerStore.get({ name: 'bench' })
  await writer.ready()
  for (let i = 0; i < blocks.length; i += 1000) await writer.append(blocks.slice(i, i + 1000))
  const topic = Buffer.from(topicFromSecret(createTopicSecret()))
  const ws = network.createSwarm()
  ws.on('connection', (conn: SwarmConnection) => replicate(writerStore, conn))
  await ws.join(topic, { server: true, client: false }).flushed()

  const t0 = performance.now()
  const reader: Hypercore = readerStore.get({ key: writer.key })
  await reader.ready()
  const rs = network.createSwarm()
  rs.on('connection', (conn: SwarmConnection) => replicate(readerStore, conn))
  rs.join(topic, { server: false, client: true })
  reader.download({ start: 0, end: -1 })
  await until(() => reader.contiguousLength >= blocks.length, 'bare replication', 120_000)
  // Read every block, as ingest does.
  for (let i = 0; i < blocks.length; i++) await reader.get(i)
  const elapsed = performance.now() - t0
  await ws.destroy()
  await rs.destroy()
  await writerStore.close()
  await readerStore.close()
  return elapsed
}

export async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'trust-bench-sync-'))
  const network = await createNetwork('local')
  try {
    const oh = await offlineHandoff(network, root)
    console.log(`sync: offline handoff median ${oh.seconds.toFixed(2)} s [${oh.runs.map((v) => v.toFixed(2)).join(', ')}]`)
    const results: BenchResult[] = [{ name: 'sync.offline_handoff_s', value: oh.seconds, unit: 's', goal: '< 5' }]
    if (process.env.TRUST_BENCH_SYNC_ONLY === 'offline_handoff') return results
    const rt = await roundtrips(network, root)
    const cc = await concurrent(network, root)
    const ov = await overhead(network, root)
    console.log(
      `sync: roundtrip median ${median(rt).toFixed(2)} ms over ${rt.length}; concurrent ${cc.seconds.toFixed(1)} s (all created and joined after ${cc.startedAt.toFixed(1)} s), lost ${cc.lost}; ` +
        `10k ingest median ${ov.ours.toFixed(0)} ms [${ov.oursRuns.map((v) => v.toFixed(0)).join(', ')}] vs bare hypercore median ${ov.bare.toFixed(0)} ms [${ov.bareRuns.map((v) => v.toFixed(0)).join(', ')}]`,
    )
    return [
      ...results,
      { name: 'sync.roundtrip_p50_ms', value: median(rt), unit: 'ms', goal: '< 50' },
      { name: 'sync.roundtrip_p99_ms', value: percentile(rt, 99), unit: 'ms', goal: '< 200' },
      { name: 'sync.concurrent_1000_s', value: cc.seconds, unit: 's', goal: '< 60' },
      { name: 'sync.concurrent_1000_lost', value: cc.lost, unit: 'negotiations', goal: '<= 0' },
      { name: 'sync.overhead_vs_hypercore', value: ov.ours / ov.bare, unit: 'ratio', goal: '< 3' },
      { name: 'sync.ingest_10k_ms', value: ov.ours, unit: 'ms', goal: '< 100000' },
      { name: 'sync.hypercore_10k_ms', value: ov.bare, unit: 'ms', goal: '< 100000' },
    ]
  } finally {
    await network.close()
    rmSync(root, { recursive: true, force: true })
  }
}
