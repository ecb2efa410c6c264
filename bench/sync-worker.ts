/**
 * A child process hosting a few negotiation peers for the `sync` bench group
 * (`node --import tsx bench/sync-worker.ts`), so the peers of the concurrent
 * run share both CPU cores instead of one event loop. JSON lines on stdin and
 * stdout: {id, op, ...} -> {id, ok, result|error}; and unsolicited
 * {event: 'bound', negotiation, peer, bindingHash} when a peer sees BINDING.
 * Each peer accepts as soon as it sees NEGOTIATING and finalizes in
 * CONSENSUS_REACHED, as a user clicking through would.
 */
import { createInterface } from 'node:readline'
import { TrustError } from '../src-main/core/errors.js'
import type { NegotiationPeer } from '../src-main/core/peer/index.js'
import { createNetwork, type Network } from '../src-main/core/sync/index.js'
import { openPeer, type BenchPeer } from './bench-peer.js'

const DAY = 86_400_000
const CLAUSES = [
  { id: 'price', title: 'Price', text: 'Bob pays 100 EUR.' },
  { id: 'delivery', title: 'Delivery', text: 'Within 14 days.' },
]

let network: Network | null = null
const peers: BenchPeer[] = []

function send(message: unknown): void {
  process.stdout.write(JSON.stringify(message) + '\n')
}

function autopilot(index: number, peer: NegotiationPeer): void {
  const acted = new Set<string>()
  peer.on('negotiation', (e) => {
    const once = (what: string, fn: () => Promise<unknown>): void => {
      const key = `${e.negotiation}:${what}`
      if (acted.has(key)) return
      acted.add(key)
      fn().catch(() => acted.delete(key)) // refused for now: the next event retries
    }
    if (e.status === 'NEGOTIATING') once('accept', () => peer.accept({ negotiation: e.negotiation, termsHash: e.termsHash }))
    else if (e.status === 'CONSENSUS_REACHED') once('finalize', () => peer.finalize({ negotiation: e.negotiation, termsHash: e.termsHash }))
    else if (e.status === 'BINDING' && !acted.has(`${e.negotiation}:bound`)) {
      acted.add(`${e.negotiation}:bound`)
      send({ event: 'bound', negotiation: e.negotiation, peer: index, bindingHash: peer.get(e.negotiation).bindingHash })
    }
  })
}

async function run(cmd: Record<string, unknown>): Promise<unknown> {
  switch (cmd.op) {
    case 'open': {
      network = await createNetwork(String(cmd.network))
      const out: string[] = []
      for (let i = 0; i < Number(cmd.count); i++) {
        const index = peers.length
        const opened = await openPeer(network, String(cmd.root), 'peer', undefined, undefined, (p) => autopilot(index, p), { joinTimeoutMs: 120_000 })
        peers.push(opened)
        out.push(opened.peer.publicKey)
      }
      return out
    }
    case 'create': {
      const created = await peers[Number(cmd.peer)]!.peer.create({
        title: String(cmd.title),
        participants: [String(cmd.partner)],
        clauses: CLAUSES,
        deadline: new Date(Date.now() + 30 * DAY).toISOString(),
      })
      return { negotiation: created.negotiation, invite: created.invite }
    }
    case 'join':
      await peers[Number(cmd.peer)]!.peer.join(String(cmd.invite))
      return {}
    case 'close':
      for (const { db, peer } of peers) {
        await peer.close()
        db.close()
      }
      await network?.close()
      return {}
    default:
      throw TrustError.invalidInput(`unknown op ${String(cmd.op)}`)
  }
}

// Commands run concurrently (creates and joins overlap, as users' would); replies carry the id.
createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line) as Record<string, unknown>
  run(cmd).then(
    (result) => {
      send({ id: cmd.id, ok: true, result })
      if (cmd.op === 'close') process.exit(0)
    },
    (err: unknown) => send({ id: cmd.id, ok: false, error: TrustError.from(err).message }),
  )
})
