/**
 * Convergence whatever the links (DESIGN section 5): through a relay, across a
 * healed partition, after an action taken offline, across a restart. Every peer
 * ends with the same state (DESIGN section 4: same set of messages, same state).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { CLAIM_CLAUSES, inDays, PeerWorld, waitFor, type WorldPeer } from '../fixtures/peer-world.js'

let world: PeerWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 60_000)

function view(p: WorldPeer, id: string) {
  const s = p.peer.get(id)
  return { status: s.status, termsHash: s.termsHash, bindingHash: s.bindingHash, applied: s.applied, rejected: s.rejected }
}

function known(p: WorldPeer, id: string): boolean {
  return p.peer.list().some((n) => n.negotiation === id)
}

/** Waits until every peer holds exactly the same folded state and `ok` holds for it. */
async function converge(peers: WorldPeer[], id: string, what: string, ok: (s: ReturnType<typeof view>) => boolean = () => true): Promise<void> {
  await waitFor(() => {
    if (!peers.every((p) => known(p, id))) return false
    const first = JSON.stringify(view(peers[0]!, id))
    return ok(view(peers[0]!, id)) && peers.every((p) => JSON.stringify(view(p, id)) === first)
  }, what)
}

async function start(creator: WorldPeer, others: WorldPeer[]): Promise<{ id: string; invite: string }> {
  const created = await creator.peer.create({
    title: 'Damages claim',
    participants: others.map((p) => p.publicKey),
    clauses: CLAIM_CLAUSES,
    deadline: inDays(30),
  })
  return { id: created.negotiation, invite: created.invite }
}

async function acceptAndFinalize(peers: WorldPeer[], id: string): Promise<void> {
  const terms = peers[0]!.peer.get(id).termsHash
  for (const p of peers) await p.peer.accept({ negotiation: id, termsHash: terms })
  await converge(peers, id, 'consensus', (s) => s.status === 'CONSENSUS_REACHED')
  for (const p of peers) await p.peer.finalize({ negotiation: id, termsHash: terms })
  await converge(peers, id, 'binding', (s) => s.status === 'BINDING')
}

describe('convergence over any topology', () => {
  it('A and C never connect, yet converge to BINDING through B', async () => {
    world = await PeerWorld.create()
    const [a, b, c] = [await world.peer('alice'), await world.peer('bob'), await world.peer('carol')]
    world.separate(a, c)
    const { id, invite } = await start(a, [b, c])
    await b.peer.join(invite)
    // C has only the invite, and the creator's feed reaches it through B.
    await c.peer.join(invite)
    await converge([a, b, c], id, 'all joined', (s) => s.status === 'NEGOTIATING')
    await c.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $600.' }] })
    await converge([a, b, c], id, "C's offer at A", (s) => s.termsHash === c.peer.get(id).termsHash)
    await acceptAndFinalize([a, b, c], id)

    expect(a.peer.replicator.peers().map((p) => p.identity)).toEqual([b.publicKey])
    expect(c.peer.replicator.peers().map((p) => p.identity)).toEqual([b.publicKey])
    expect(a.peer.get(id).bindingHash).toBe(c.peer.get(id).bindingHash)
    expect(a.peer.get(id).clauses.find((x) => x.id === 'amount')?.text).toBe('Bob pays Alice $600.')
  }, 180_000)

  it('a partition healed after both sides acted converges to one state at every peer', async () => {
    world = await PeerWorld.create()
    const [a, b, c] = [await world.peer('alice'), await world.peer('bob'), await world.peer('carol')]
    const { id, invite } = await start(a, [b, c])
    await b.peer.join(invite)
    await c.peer.join(invite)
    await converge([a, b, c], id, 'all joined', (s) => s.status === 'NEGOTIATING')
    const base = a.peer.get(id).termsHash

    // Partition: C restarts refusing A and B, so {A, B} and {C} are cut off from each other.
    c.blocked.add(a.peer.replicator.swarmKey)
    c.blocked.add(b.peer.replicator.swarmKey)
    await world.restart(c)
    await waitFor(() => a.peer.replicator.peers().length === 1 && c.peer.replicator.peers().length === 0, 'the partition')

    // Both sides act on the same terms: two concurrent offers, plus a lock on each side.
    const fromA = await a.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500.' }] })
    await b.peer.lock({ negotiation: id, clause: 'due' })
    const fromC = await c.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $900.' }] })
    expect(a.peer.get(id).termsHash).not.toBe(base)
    expect(c.peer.get(id).termsHash).not.toBe(a.peer.get(id).termsHash)

    // Heal: C restarts with no one blocked.
    c.blocked.clear()
    await world.restart(c)
    await converge([a, b, c], id, 'the healed partition', (s) => s.applied.includes(fromA.hash) || s.applied.includes(fromC.hash))
    const s = a.peer.get(id)
    // Exactly one of the concurrent offers applies; the other is SUPERSEDED, at every peer alike.
    const outcomes = [fromA.hash, fromC.hash].map((h) => (s.applied.includes(h) ? 'applied' : s.rejected.find((r) => r.hash === h)?.reason))
    expect(outcomes.sort()).toEqual(['SUPERSEDED', 'applied'])
    expect(s.applied.length + s.rejected.length).toBe(b.peer.get(id).timeline.length)
  }, 180_000)

  it('an action taken offline reaches the others on reconnect, and a restart loses nothing', async () => {
    world = await PeerWorld.create()
    const [a, b] = [await world.peer('alice'), await world.peer('bob')]
    const { id, invite } = await start(a, [b])
    await b.peer.join(invite)
    await converge([a, b], id, 'joined', (s) => s.status === 'NEGOTIATING')

    // B goes offline (refuses everyone), acts, and comes back.
    b.blocked.add(a.peer.replicator.swarmKey)
    await world.restart(b)
    const offline = await b.peer.offer({ negotiation: id, changes: [{ op: 'add', clause: 'interest', title: 'Interest', text: 'None.' }] })
    expect(a.peer.get(id).timeline.some((m) => m.hash === offline.hash)).toBe(false)
    b.blocked.clear()
    await world.restart(b)
    await converge([a, b], id, 'the offline offer at A', (s) => s.applied.includes(offline.hash))

    // A clean restart of A: every message is still there and the negotiation goes on.
    const before = a.peer.get(id)
    await world.restart(a)
    expect(view(a, id)).toEqual({ status: before.status, termsHash: before.termsHash, bindingHash: null, applied: before.applied, rejected: before.rejected })
    await acceptAndFinalize([a, b], id)
    expect(a.peer.get(id).clauses.map((x) => x.id)).toEqual(['claim', 'amount', 'due', 'interest'])
  }, 180_000)
})
