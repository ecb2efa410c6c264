/**
 * Every peer in its own OS process (node --import tsx), on a private DHT served
 * by this test's testnet on 127.0.0.1. One of them is killed with SIGKILL in the
 * middle of the negotiation, twice, and restarted on its profile: nothing it
 * signed is lost, nothing the others did is missed, and all three reach BINDING
 * with the same binding hash.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createNetwork, formatNetworkMode, type Network } from '../../src-main/core/sync/index.js'
import { CLAIM_CLAUSES, inDays } from '../fixtures/peer-world.js'
import { PeerProcess, type ProcessView } from '../fixtures/peer-process-client.js'
import { waitFor as until } from '../fixtures/wait.js'

let network: Network | null = null
const procs: PeerProcess[] = []
const dirs: string[] = []

afterEach(async () => {
  await Promise.all(procs.map((p) => p.stop()))
  procs.length = 0
  await network?.close()
  network = null
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
}, 60_000)

async function views(ps: PeerProcess[], id: string): Promise<(ProcessView | null)[]> {
  return Promise.all(ps.map((p) => p.state(id)))
}

/** Same applied and rejected messages at every process, and `ok` of that state. */
async function converge(ps: PeerProcess[], id: string, what: string, ok: (v: ProcessView) => boolean): Promise<ProcessView> {
  let last: ProcessView | null = null
  await until(async () => {
    const vs = await views(ps, id)
    if (vs.some((v) => v === null)) return false
    const key = (v: ProcessView | null) => JSON.stringify({ s: v!.status, t: v!.termsHash, b: v!.bindingHash, a: v!.applied, r: v!.rejected })
    last = vs[0]!
    return ok(vs[0]!) && vs.every((v) => key(v) === key(vs[0]!))
  }, what, 60_000, 50)
  return last!
}

describe('peers in separate processes', () => {
  it('a peer SIGKILLed twice mid-negotiation restarts on its profile and all three reach the same BINDING', async () => {
    network = await createNetwork('local')
    const mode = formatNetworkMode({ kind: 'bootstrap', nodes: network.bootstrap })
    const [a, b, c] = ['alice', 'bob', 'carol'].map((name) => {
      const dir = mkdtempSync(join(tmpdir(), `trust-proc-${name}-`))
      dirs.push(dir)
      const p = new PeerProcess(name, dir)
      procs.push(p)
      return p
    }) as [PeerProcess, PeerProcess, PeerProcess]
    await Promise.all([a.start(mode), b.start(mode), c.start(mode)])

    const { negotiation: id, invite } = (await a.call('create', {
      input: { title: 'Damages claim', participants: [b.publicKey, c.publicKey], clauses: CLAIM_CLAUSES, deadline: inDays(30) },
    })) as { negotiation: string; invite: string }
    await b.call('join', { invite })
    await c.call('join', { invite })
    await converge([a, b, c], id, 'all joined', (v) => v.status === 'NEGOTIATING')

    // Kill 1: right after B's counter-offer returns (stored and appended, maybe not yet sent).
    await a.act('offer', { negotiation: id, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500.' }] })
    await converge([a, b, c], id, "A's offer", (v) => v.applied.length === 4)
    const counter = await b.act('offer', { negotiation: id, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $750.' }] })
    await b.kill()
    // The others go on while B is dead (a lock does not depend on whether they saw the counter-offer).
    const dueA = await a.act('lock', { negotiation: id, clause: 'due' })
    const dueC = await c.act('lock', { negotiation: id, clause: 'due' })
    await b.start(mode)
    await converge([a, b, c], id, 'B caught up and its counter-offer reached the others', (v) =>
      [counter.hash, dueA.hash, dueC.hash].every((h) => v.applied.includes(h)),
    )

    // Kill 2: B's LOCK is committed to its database but never reached its feed (a crash in between).
    await a.act('lock', { negotiation: id, clause: 'amount' })
    await c.act('lock', { negotiation: id, clause: 'amount' })
    const lock = (await b.call('store-only', { action: 'lock', params: { negotiation: id, clause: 'amount' } })) as { hash: string }
    await b.kill()
    await b.start(mode)
    // On open, B appends what its feed lacked: the others receive the lock.
    const locked = await converge([a, b, c], id, "B's stored-only lock everywhere", (v) => v.applied.includes(lock.hash))
    expect(locked.rejected).toEqual([])

    const terms = locked.termsHash
    for (const p of [a, b, c]) await p.act('accept', { negotiation: id, termsHash: terms })
    await converge([a, b, c], id, 'consensus', (v) => v.status === 'CONSENSUS_REACHED')
    for (const p of [a, b, c]) await p.act('finalize', { negotiation: id, termsHash: terms })
    const final = await converge([a, b, c], id, 'binding', (v) => v.status === 'BINDING')

    expect(final.bindingHash).toMatch(/^[0-9a-f]{64}$/)
    const all = await views([a, b, c], id)
    expect(new Set(all.map((v) => v!.bindingHash)).size).toBe(1)
    // GENESIS, 2 JOINs, 2 offers, 2 + 3 locks, 3 accepts, 3 finalizations: nothing lost, nothing twice.
    expect(all.map((v) => v!.applied.length)).toEqual([16, 16, 16])
    expect(all.map((v) => v!.timeline)).toEqual([16, 16, 16])
  }, 240_000)
})
