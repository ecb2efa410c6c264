/**
 * Negotiations over the network (DESIGN sections 4 and 5): real profiles, real
 * identities, a real local DHT. Each peer only ever acts on its own state; what
 * the others did reaches it through replication alone.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createEnvelope } from '../../src-main/core/protocol/envelope.js'
import type { UnsignedEnvelope } from '../../src-main/core/protocol/envelope-schema.js'
import { CLAIM_CLAUSES, inDays, PeerWorld, waitFor, type WorldPeer } from '../fixtures/peer-world.js'

let world: PeerWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 60_000)

function termsHash(w: WorldPeer, id: string): string {
  return w.peer.get(id).termsHash
}

async function allSee(peers: WorldPeer[], id: string, what: string, ok: (s: ReturnType<WorldPeer['peer']['get']>) => boolean): Promise<void> {
  await waitFor(() => peers.every((p) => known(p, id) && ok(p.peer.get(id))), what)
}

function known(w: WorldPeer, id: string): boolean {
  return w.peer.list().some((n) => n.negotiation === id)
}

/** Full flow among n peers, k = requiredConsensus: every step is taken on one peer and awaited on all. */
async function negotiateToBinding(peers: WorldPeer[], k?: number): Promise<string> {
  const [creator, ...others] = peers as [WorldPeer, ...WorldPeer[]]
  const created = await creator.peer.create({
    title: 'Damages claim',
    participants: others.map((p) => p.publicKey),
    clauses: CLAIM_CLAUSES,
    ...(k === undefined ? {} : { requiredConsensus: k }),
    deadline: inDays(30),
  })
  const id = created.negotiation
  for (const p of others) await p.peer.join(created.invite)
  await allSee(peers, id, 'every participant joined', (s) => s.status === 'NEGOTIATING')

  // Alice offers $500; the second participant counters $750; Alice agrees by locking it.
  const second = others[0]!
  await creator.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500.' }] })
  const after500 = termsHash(creator, id)
  await allSee(peers, id, 'the $500 offer', (s) => s.termsHash === after500)
  await second.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $750.' }] })
  const after750 = termsHash(second, id)
  await allSee(peers, id, 'the $750 counter-offer', (s) => s.termsHash === after750)

  // A locked clause: k participants lock "amount" at $750.
  const needed = k ?? peers.length
  for (const p of peers.slice(0, needed)) await p.peer.lock({ negotiation: id, clause: 'amount' })
  await allSee(peers, id, 'the amount clause locked', (s) => s.lockedClauses.includes('amount'))

  for (const p of peers.slice(0, needed)) await p.peer.accept({ negotiation: id, termsHash: after750 })
  await allSee(peers, id, 'consensus', (s) => s.status === 'CONSENSUS_REACHED')
  for (const p of peers.slice(0, needed)) await p.peer.finalize({ negotiation: id, termsHash: after750 })
  await allSee(peers, id, 'binding', (s) => s.status === 'BINDING')
  return id
}

describe('negotiating over the network', () => {
  it('two peers reach BINDING with the same binding hash; an offer after binding is refused, and rejected when forced', async () => {
    world = await PeerWorld.create()
    const alice = await world.peer('alice')
    const bob = await world.peer('bob')
    const id = await negotiateToBinding([alice, bob])

    const a = alice.peer.get(id)
    const b = bob.peer.get(id)
    expect(a.bindingHash).toMatch(/^[0-9a-f]{64}$/)
    expect(b.bindingHash).toBe(a.bindingHash)
    expect(b.signers).toEqual([alice.publicKey, bob.publicKey].sort())
    expect(b.clauses.find((c) => c.id === 'amount')?.text).toBe('Bob pays Alice $750.')
    expect(b.applied).toEqual(a.applied)
    expect(a.rejected).toEqual([])

    // The service refuses before signing: nothing reaches the feed.
    await expect(alice.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'due', text: 'Never.' }] })).rejects.toMatchObject({
      code: 'ILLEGAL_ACTION',
    })
    // Forced past the service (signed by hand, appended to Alice's own feed): Bob's fold rejects it IMMUTABLE.
    const next = alice.peer.get(id)
    const me = next.feeds[alice.publicKey]!
    const forced = createEnvelope(alice.identity.signer(), {
      v: 1,
      type: 'OFFER',
      negotiation: id,
      author: alice.publicKey,
      seq: me.nextSeq,
      lamport: next.lastLamport + 1,
      refs: [...next.heads],
      time: new Date().toISOString(),
      body: { base: next.termsHash, changes: [{ op: 'set', clause: 'due', text: 'Never.' }] },
    } as UnsignedEnvelope)
    await alice.peer.replicator.append(id, forced.bytes)
    await waitFor(() => bob.peer.get(id).rejected.some((r) => r.hash === forced.hash), 'Bob to see the forced offer')
    const afterForced = bob.peer.get(id)
    expect(afterForced.rejected.find((r) => r.hash === forced.hash)?.reason).toBe('IMMUTABLE')
    expect(afterForced.status).toBe('BINDING')
    expect(afterForced.bindingHash).toBe(a.bindingHash)
    expect(afterForced.termsHash).toBe(a.termsHash)
  }, 120_000)

  it('three peers with k = 2 reach BINDING with the same binding hash everywhere', async () => {
    world = await PeerWorld.create()
    const peers = [await world.peer('alice'), await world.peer('bob'), await world.peer('carol')]
    const id = await negotiateToBinding(peers, 2)
    const hashes = new Set(peers.map((p) => p.peer.get(id).bindingHash))
    expect(hashes.size).toBe(1)
    expect([...hashes][0]).toMatch(/^[0-9a-f]{64}$/)
    expect(peers[2]!.peer.get(id).signers).toEqual([peers[0]!.publicKey, peers[1]!.publicKey].sort())
    expectSameState(peers, id)
  }, 180_000)

  it('five peers with k = 3 reach BINDING with the same binding hash everywhere', async () => {
    world = await PeerWorld.create()
    const peers: WorldPeer[] = []
    for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) peers.push(await world.peer(name))
    const id = await negotiateToBinding(peers, 3)
    expect(new Set(peers.map((p) => p.peer.get(id).bindingHash)).size).toBe(1)
    expect(peers[4]!.peer.get(id).signers).toHaveLength(3)
    expectSameState(peers, id)
  }, 240_000)
})

/** Every peer folded the same messages to the same state (DESIGN section 4: same set, same state). */
function expectSameState(peers: WorldPeer[], id: string): void {
  const view = (p: WorldPeer) => {
    const s = p.peer.get(id)
    return { status: s.status, termsHash: s.termsHash, bindingHash: s.bindingHash, applied: s.applied, rejected: s.rejected, locked: s.lockedClauses }
  }
  const first = view(peers[0]!)
  for (const p of peers.slice(1)) expect(view(p)).toEqual(first)
}
