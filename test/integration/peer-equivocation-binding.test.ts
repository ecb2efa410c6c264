/**
 * Equivocation after BINDING, live (DESIGN sections 4.1 and 5): Alice, Bob and
 * Mallory bind on "$750" over a real local DHT. Mallory's modified client then
 * rewrites her own history twice: it truncates her feed and re-appends forged
 * versions of her OFFER, ACCEPT and FINALIZE ("$0", ground to sort first), and
 * then announces a second feed for her identity carrying a WITHDRAW in place
 * of her FINALIZE. Alice and Bob keep BINDING with the same hash, record and
 * show the evidence, and keep replicating with each other.
 */
import { renameSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Signer } from '../../src-main/core/crypto/signer.js'
import { createEnvelope, type SignedEnvelope } from '../../src-main/core/protocol/envelope.js'
import type { UnsignedEnvelope } from '../../src-main/core/protocol/envelope-schema.js'
import { Terms } from '../../src-main/core/protocol/terms.js'
import { FeedStore } from '../../src-main/core/sync/feeds.js'
import { decodeInvite, feedEncryptionKey } from '../../src-main/core/sync/index.js'
import { CLAIM_CLAUSES, inDays, PeerWorld, waitFor, type WorldPeer } from '../fixtures/peer-world.js'

let world: PeerWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 60_000)

interface Stored {
  hash: string
  seq: number
  lamport: number
  refs: string[]
  time: string
  type: string
  body: Record<string, unknown>
}

/** Mallory's stored messages of the negotiation, by seq. */
function ownMessages(p: WorldPeer, id: string): Stored[] {
  const rows = p.db.prepare('SELECT hash, bytes FROM messages WHERE negotiation = ? AND author = ? ORDER BY seq').all(id, p.publicKey) as {
    hash: string
    bytes: Buffer
  }[]
  return rows.map((r) => {
    const env = JSON.parse(r.bytes.toString('utf8'))
    return { hash: r.hash, seq: env.seq, lamport: env.lamport, refs: env.refs, time: env.time, type: env.type, body: env.body }
  })
}

/** A second version of `original`: same author, seq, lamport and refs; its time ground until it sorts first. */
function forkOf(signer: Signer, id: string, original: Stored, type: string, body: unknown, refs = original.refs): SignedEnvelope {
  for (let i = 1; ; i++) {
    const fork = createEnvelope(signer, {
      v: 1,
      type,
      negotiation: id,
      author: signer.publicKey,
      seq: original.seq,
      lamport: original.lamport,
      refs,
      time: new Date(Date.parse(original.time) + i).toISOString(),
      body,
    } as UnsignedEnvelope)
    if (fork.hash < original.hash) return fork
  }
}

describe('a signer who forks its history after BINDING', () => {
  it('truncating and re-appending, then a second feed: Alice and Bob keep BINDING with the same hash, show the evidence and keep replicating', async () => {
    world = await PeerWorld.create()
    const alice = await world.peer('alice')
    const bob = await world.peer('bob')
    const mallory = await world.peer('mallory')
    const everyone = [alice, bob, mallory]

    const { negotiation: id, invite } = await alice.peer.create({
      title: 'Damages claim',
      participants: [bob.publicKey, mallory.publicKey],
      clauses: CLAIM_CLAUSES,
      deadline: inDays(30),
    })
    await bob.peer.join(invite)
    await mallory.peer.join(invite)
    await waitFor(() => everyone.every((p) => p.peer.get(id).status === 'NEGOTIATING'), 'all joined')
    const offer = await mallory.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $750.' }] })
    await waitFor(() => everyone.every((p) => p.peer.get(id).applied.includes(offer.hash)), 'the $750 offer everywhere')
    const terms = offer.state.termsHash
    for (const p of everyone) await p.peer.accept({ negotiation: id, termsHash: terms })
    await waitFor(() => everyone.every((p) => p.peer.get(id).status === 'CONSENSUS_REACHED'), 'consensus')
    await alice.peer.finalize({ negotiation: id, termsHash: terms })
    await waitFor(() => everyone.every((p) => p.peer.get(id).finalizers.includes(alice.publicKey)), 'Alice finalized')
    await bob.peer.finalize({ negotiation: id, termsHash: terms })
    await waitFor(() => everyone.every((p) => p.peer.get(id).finalizers.length === 2), 'Bob finalized')
    await mallory.peer.finalize({ negotiation: id, termsHash: terms })
    await waitFor(() => everyone.every((p) => p.peer.get(id).status === 'BINDING'), 'BINDING everywhere')
    const bound = alice.peer.get(id)
    expect(bob.peer.get(id).bindingHash).toBe(bound.bindingHash)
    expect(bound.clauses.find((c) => c.id === 'amount')!.text).toBe('Bob pays Alice $750.')

    // --- 1. Mallory truncates her feed to her JOIN and re-appends "$0" versions of everything after it.
    const mine = ownMessages(mallory, id)
    expect(mine.map((m) => m.type)).toEqual(['JOIN', 'OFFER', 'ACCEPT', 'FINALIZE'])
    const ms = mallory.identity.signer()
    const zero = Terms.of(bound.clauses)
      .apply([{ op: 'set', clause: 'amount', text: 'Bob pays Alice $0.' }], new Set())
    if (!zero.ok) throw new Error('the $0 terms do not apply')
    const forgedOffer = forkOf(ms, id, mine[1]!, 'OFFER', {
      base: mine[1]!.body.base,
      changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $0.' }],
    })
    const forgedAccept = forkOf(ms, id, mine[2]!, 'ACCEPT', { termsHash: zero.terms.hash }, [
      ...new Set([...mine[2]!.refs.filter((r) => r !== mine[1]!.hash), forgedOffer.hash]),
    ].sort())
    const forgedFinalize = forkOf(ms, id, mine[3]!, 'FINALIZE', { termsHash: zero.terms.hash }, [
      ...new Set([...mine[3]!.refs.filter((r) => r !== mine[2]!.hash), forgedAccept.hash]),
    ].sort())
    const ownFeed = mallory.peer.replicator.ownFeedKey(id)
    // Feeds are encrypted under a key from the invite's secret (DESIGN section 5): her client holds it.
    const encryptionKey = feedEncryptionKey(decodeInvite(invite).topicSecret)
    await world.stop(mallory)
    {
      const store = new FeedStore(join(mallory.dir, 'sync', 'corestore'))
      await store.open()
      const feed = await store.openOwn(id, encryptionKey)
      expect(feed.length).toBe(4)
      await feed.truncate(1)
      for (const m of [forgedOffer, forgedAccept, forgedFinalize]) await feed.append(Buffer.from(m.bytes))
      expect(feed.fork).toBe(1)
      await feed.close()
      await store.close()
    }
    await world.reopen(mallory)
    const forged = [forgedOffer, forgedAccept, forgedFinalize]
    await waitFor(
      () => [alice, bob].every((p) => forged.every((f) => p.peer.get(id).timeline.some((m) => m.hash === f.hash))),
      'Alice and Bob to hold the forged versions',
    )
    for (const p of [alice, bob]) {
      const s = p.peer.get(id)
      expect(s.status).toBe('BINDING')
      expect(s.bindingHash).toBe(bound.bindingHash)
      expect(s.termsHash).toBe(bound.termsHash)
      expect(s.signers).toEqual(bound.signers)
      for (const f of forged) expect(s.rejected).toContainEqual(expect.objectContaining({ hash: f.hash, reason: 'EQUIVOCATION' }))
      expect(s.equivocators).toEqual([mallory.publicKey])
      expect(s.equivocations).toEqual(
        [1, 2, 3].map((seq) => ({ author: mallory.publicKey, seq, hashes: [mine[seq]!.hash, forged[seq - 1]!.hash].sort() })),
      )
      expect(p.peer.forks(id)).toContainEqual(expect.objectContaining({ owner: mallory.publicKey, feedKey: ownFeed, fork: 1, keptLength: 1 }))
      const misbehavior = p.peer.service.ledger.events(mallory.publicKey).map((e) => e.reason)
      expect(misbehavior.filter((r) => r === 'EQUIVOCATION')).toHaveLength(1)
    }

    // --- 2. A second feed for the same identity: a fresh corestore, same identity, a WITHDRAW for seq 3.
    const withdraw = forkOf(mallory.identity.signer(), id, mine[3]!, 'WITHDRAW', { reason: 'I never agreed' })
    const replayed = [0, 1, 2].map((seq) => readOwnBytes(mallory, id, seq))
    await world.stop(mallory)
    renameSync(join(mallory.dir, 'sync'), join(mallory.dir, 'sync-first'))
    {
      const store = new FeedStore(join(mallory.dir, 'sync', 'corestore'))
      await store.open()
      const feed = await store.openOwn(id, encryptionKey)
      expect(feed.key.toString('hex')).not.toBe(ownFeed)
      for (const bytes of [...replayed, withdraw.bytes]) await feed.append(Buffer.from(bytes))
      await feed.close()
      await store.close()
    }
    await world.reopen(mallory)
    const secondFeed = mallory.peer.replicator.ownFeedKey(id)
    expect(secondFeed).not.toBe(ownFeed)
    await waitFor(
      () => [alice, bob].every((p) => p.peer.get(id).timeline.some((m) => m.hash === withdraw.hash)),
      'Alice and Bob to hold the WITHDRAW from the second feed',
    )
    for (const p of [alice, bob]) {
      const s = p.peer.get(id)
      expect(s.status).toBe('BINDING')
      expect(s.bindingHash).toBe(bound.bindingHash)
      expect(s.withdrawn).toEqual([])
      expect(s.rejected).toContainEqual(expect.objectContaining({ hash: withdraw.hash, reason: 'EQUIVOCATION' }))
      expect(s.equivocations.find((e) => e.seq === 3)!.hashes).toEqual([mine[3]!.hash, forgedFinalize.hash, withdraw.hash].sort())
    }

    // --- 3. Alice and Bob still replicate with each other: Alice disputes, Bob sees the appeal open.
    const dispute = await alice.peer.dispute({ negotiation: id, reason: 'Mallory equivocated; I want the arbiter to note it.' })
    await waitFor(() => bob.peer.get(id).status === 'DISPUTED', 'Bob to see the dispute')
    expect(bob.peer.get(id).appeal).toMatchObject({ dispute: dispute.hash, status: 'OPEN' })
    expect(bob.peer.get(id).bindingHash).toBe(bound.bindingHash)
  }, 240_000)
})

/** One of `p`'s stored envelopes, by seq (the exact bytes it signed). */
function readOwnBytes(p: WorldPeer, id: string, seq: number): Uint8Array {
  const row = p.db.prepare('SELECT bytes FROM messages WHERE negotiation = ? AND author = ? AND seq = ?').get(id, p.publicKey, seq) as
    | { bytes: Buffer }
    | undefined
  if (row === undefined) throw new Error(`no stored message ${seq}`)
  return Uint8Array.from(row.bytes)
}
