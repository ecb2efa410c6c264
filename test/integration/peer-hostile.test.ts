/**
 * Hostile peers end to end, through the real negotiation service (DESIGN
 * sections 3, 4, 5 and 8). Mallory is a participant running a modified
 * client: she rewrites her own feed on her own store and fills it with
 * garbage, foreign envelopes, forgeries and replays. Each is refused with a
 * reason, recorded where it proves something, and the honest peers finish
 * their agreement with nothing lost.
 */
import { join } from 'node:path'
import c from 'compact-encoding'
import Hypercore from 'hypercore'
import type { SwarmConnection } from 'hyperswarm'
import { afterEach, describe, expect, it } from 'vitest'
import { hexToBytes } from '../../src-main/core/crypto/hex.js'
import type { Signer } from '../../src-main/core/crypto/signer.js'
import { createEnvelope, parseEnvelope, type SignedEnvelope } from '../../src-main/core/protocol/envelope.js'
import type { Envelope, UnsignedEnvelope } from '../../src-main/core/protocol/envelope-schema.js'
import type { NegotiationState } from '../../src-main/core/protocol/fold/state.js'
import { canonicalBytes } from '../../src-main/core/protocol/jcs.js'
import { clauseHash } from '../../src-main/core/protocol/terms.js'
import { FeedStore } from '../../src-main/core/sync/feeds.js'
import { createHello, HANDSHAKE_PROTOCOL } from '../../src-main/core/sync/handshake.js'
import { decodeInvite, feedEncryptionKey, topicFromSecret, type EntryEvent } from '../../src-main/core/sync/index.js'
import { CLAIM_CLAUSES, inDays, PeerWorld, waitFor, type WorldPeer } from '../fixtures/peer-world.js'

let world: PeerWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 60_000)

/** Signs `type`/`body` as `signer`'s next message in `state` (seq, lamport and refs as an honest client would). */
function nextEnvelope(signer: Signer, state: NegotiationState, type: string, body: unknown): SignedEnvelope {
  const feed = state.feeds[signer.publicKey]
  return createEnvelope(signer, {
    v: 1,
    type,
    negotiation: state.negotiation,
    author: signer.publicKey,
    seq: feed?.nextSeq ?? 0,
    lamport: state.lastLamport + 1,
    refs: [...new Set([...(feed ? [feed.tip] : []), ...state.heads])].sort(),
    time: new Date().toISOString(),
    body,
  } as UnsignedEnvelope)
}

const utf8 = new TextEncoder()

/** The JCS bytes of an envelope object, sig as given (for forgeries). */
function bytesOf(envelope: Envelope): Uint8Array {
  return canonicalBytes(envelope)
}

function entriesOf(events: EntryEvent[], feedKey: string): Map<number, EntryEvent> {
  const out = new Map<number, EntryEvent>()
  for (const e of events) if (e.feedKey === feedKey) out.set(e.index, e)
  return out
}

describe('hostile peers, through the real service', () => {
  it("Mallory's rewritten, garbage, foreign, forged, replayed and oversized entries are each refused; Alice and Bob still bind", async () => {
    world = await PeerWorld.create()
    const alice = await world.peer('alice')
    const bob = await world.peer('bob')
    const mallory = await world.peer('mallory', { limits: { maxEntryBytes: 256 * 1024 } })
    const seen: EntryEvent[] = []
    alice.peer.on('entry', (e) => seen.push(e))

    const x = await alice.peer.create({
      title: 'Damages claim',
      participants: [bob.publicKey, mallory.publicKey],
      clauses: CLAIM_CLAUSES,
      requiredConsensus: 2,
      deadline: inDays(30),
    })
    const id = x.negotiation
    await bob.peer.join(x.invite)
    await mallory.peer.join(x.invite)
    // Another negotiation Mallory and Alice share.
    const y = await mallory.peer.create({ title: 'Side deal', participants: [alice.publicKey], clauses: CLAIM_CLAUSES, deadline: inDays(30) })
    await alice.peer.join(y.invite)
    await waitFor(() => [alice, bob, mallory].every((p) => p.peer.get(id).status === 'NEGOTIATING'), 'all joined X')

    const offer = await mallory.peer.offer({ negotiation: id, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $10.' }] })
    await waitFor(() => alice.peer.get(id).applied.includes(offer.hash) && bob.peer.get(id).applied.includes(offer.hash), "Mallory's offer")
    const before = alice.peer.get(id)
    const mFeed = mallory.peer.replicator.ownFeedKey(id)
    const joinBytes = Uint8Array.from(mallory.db.prepare('SELECT bytes FROM messages WHERE negotiation = ? AND author = ? AND seq = 0').pluck().get(id, mallory.publicKey) as Buffer)

    // Everything Mallory's modified client writes, signed while her identity is unlocked.
    const ms = mallory.identity.signer()
    const original = parseEnvelope(offer.bytes).envelope
    const { sig: _sig, ...unsignedOffer } = original
    // Nobody has built on Mallory's offer yet, so neither version has support from another
    // participant: the seq is open and, in each fold, the version first in fold order holds it
    // (DESIGN section 4.1). The rewrite here sorts after the original, so the original stays applied.
    let rewritten: SignedEnvelope
    let attempt = 0
    do {
      const text = `Bob pays Alice $0 (${attempt++}).`
      rewritten = createEnvelope(ms, { ...unsignedOffer, body: { ...original.body, changes: [{ op: 'set', clause: 'amount', text }] } } as UnsignedEnvelope)
    } while (rewritten.hash < offer.hash)
    const mState = mallory.peer.get(id)
    const accept = nextEnvelope(ms, mState, 'ACCEPT', { termsHash: mState.termsHash })
    const forged = { ...accept.envelope, sig: accept.envelope.sig.slice(0, 10) + (accept.envelope.sig[10] === '0' ? '1' : '0') + accept.envelope.sig.slice(11) }
    const offerSigOnAccept = { ...accept.envelope, sig: original.sig }
    const foreign = nextEnvelope(ms, mallory.peer.get(y.negotiation), 'LOCK', { clause: 'due', textHash: lockHash(mallory, y.negotiation) })
    const bobs = nextEnvelope(bob.identity.signer(), bob.peer.get(id), 'LOCK', { clause: 'due', textHash: lockHash(bob, id) })
    const oversized = utf8.encode(JSON.stringify({ pad: 'x'.repeat(100 * 1024) }))

    // Mallory's client rewrites its own feed on its own store: truncate to 1, new entries from index 1.
    await world.stop(mallory)
    const store = new FeedStore(join(mallory.dir, 'sync', 'corestore'))
    await store.open()
    // Every feed is encrypted under the key from the invite's secret (DESIGN section 5); so is her rewrite.
    const feed = await store.openOwn(id, feedEncryptionKey(decodeInvite(x.invite).topicSecret))
    expect(feed.length).toBe(2)
    await feed.truncate(1)
    const entries: [string, Uint8Array][] = [
      ['rewritten offer', rewritten.bytes], // 1
      ['garbage', Uint8Array.from([0xff, 0xfe, 0x00, 0x7b])], // 2: not even UTF-8
      ['envelope of another negotiation', foreign.bytes], // 3
      ['forged signature', bytesOf(forged)], // 4
      ['exact replay', joinBytes], // 5
      ["an offer's signature on an accept", bytesOf(offerSigOnAccept)], // 6
      ["Bob's envelope on Mallory's feed", bobs.bytes], // 7
      ['oversized block', oversized], // 8
    ]
    for (const [, bytes] of entries) await feed.append(Buffer.from(bytes))
    expect(feed.fork).toBe(1)
    await feed.close()
    await store.close()
    const receiptsBefore = alice.db.prepare('SELECT count(*) FROM receipts').pluck().get() as number
    await world.reopen(mallory)

    await waitFor(() => alice.peer.incidents().some((i) => i.code === 'ENTRY_TOO_LARGE'), 'the oversized block to be refused')
    const byIndex = entriesOf(seen, mFeed)
    // Index 1 was ingested twice: the first version (applied), then the rewrite.
    expect(seen.filter((e) => e.feedKey === mFeed && e.index === 1).map((e) => [e.accepted, e.reason ?? null])).toEqual([
      [true, null],
      [false, 'EQUIVOCATION'],
    ])
    const verdicts = [2, 3, 4, 5, 6, 7].map((i) => [i, byIndex.get(i)?.accepted, byIndex.get(i)?.reason])
    expect(verdicts).toEqual([
      [2, false, 'INVALID_ENCODING'],
      [3, false, 'WRONG_NEGOTIATION'],
      [4, false, 'BAD_SIGNATURE'],
      [5, true, undefined], // an exact replay is ignored: same hash, nothing done
      [6, false, 'BAD_SIGNATURE'],
      [7, false, 'FEED_AUTHOR_MISMATCH'],
    ])
    expect(byIndex.has(8)).toBe(false) // never handed to the service

    const after = alice.peer.get(id)
    // Nothing folded was rolled back: the first offer stands, the terms are those it set.
    expect(after.applied).toEqual(before.applied)
    expect(after.termsHash).toBe(before.termsHash)
    expect(after.equivocators).toEqual([mallory.publicKey])
    // Both versions of Mallory's seq 1 are kept, the second as rejected evidence.
    const seq1 = alice.db.prepare('SELECT hash, verdict, reason FROM messages WHERE negotiation = ? AND author = ? AND seq = 1 ORDER BY verdict').all(id, mallory.publicKey)
    expect(seq1).toEqual([
      { hash: offer.hash, verdict: 'applied', reason: null },
      { hash: rewritten.hash, verdict: 'rejected', reason: 'EQUIVOCATION' },
    ])
    expect(alice.peer.forks(id)).toMatchObject([{ owner: mallory.publicKey, feedKey: mFeed, fork: 1, keptLength: 1, previousLength: 2 }])
    // Forged envelopes are stored as evidence; unreadable and foreign ones are not stored at all.
    const stored = (h: string) => alice.db.prepare('SELECT verdict, reason FROM messages WHERE hash = ?').get(h)
    expect(stored(parseEnvelope(bytesOf(forged)).hash)).toEqual({ verdict: 'rejected', reason: 'BAD_SIGNATURE' })
    expect(stored(foreign.hash)).toBeUndefined()
    expect(alice.peer.get(y.negotiation).timeline.some((m) => m.hash === foreign.hash)).toBe(false)
    expect(stored(bobs.hash)).toBeUndefined()
    // The exact replay added no message and no receipt.
    const receiptsAfter = alice.db.prepare('SELECT count(*) FROM receipts').pluck().get() as number
    expect(receiptsAfter - receiptsBefore).toBe(3) // the rewritten offer and the 2 forgeries: what was stored

    // The ledger: what proves Mallory's fault counts against Mallory, once per kind.
    const reasons = alice.peer.service.ledger.events(mallory.publicKey).map((e) => e.reason).sort()
    expect(reasons).toEqual(['BAD_SIGNATURE', 'BAD_SIGNATURE', 'ENTRY_TOO_LARGE', 'EQUIVOCATION', 'FEED_AUTHOR_MISMATCH', 'FEED_FORK:1'].sort())
    expect(alice.peer.service.ledger.events(bob.publicKey).filter((e) => e.kind === 'MISBEHAVIOR')).toEqual([])
    expect(alice.peer.incidents()).toContainEqual(expect.objectContaining({ negotiation: id, peer: mallory.publicKey, code: 'ENTRY_TOO_LARGE' }))
    await waitFor(() => !alice.peer.replicator.peers().some((p) => p.identity === mallory.publicKey), 'Mallory disconnected')

    // The honest peers are unaffected: they bind on the terms Mallory's first offer set.
    await waitFor(() => bob.peer.get(id).equivocators.includes(mallory.publicKey), 'Bob to see the equivocation too')
    for (const p of [alice, bob]) await p.peer.accept({ negotiation: id, termsHash: before.termsHash })
    await waitFor(() => [alice, bob].every((p) => p.peer.get(id).status === 'CONSENSUS_REACHED'), 'consensus')
    for (const p of [alice, bob]) await p.peer.finalize({ negotiation: id, termsHash: before.termsHash })
    await waitFor(() => [alice, bob].every((p) => p.peer.get(id).status === 'BINDING'), 'binding')
    expect(alice.peer.get(id).bindingHash).toBe(bob.peer.get(id).bindingHash)
    expect(alice.peer.get(id).applied).toEqual(bob.peer.get(id).applied)
  }, 180_000)

  it('a non-member holding the invite is disconnected with NOT_A_MEMBER recorded, and its join fails', async () => {
    world = await PeerWorld.create()
    const alice = await world.peer('alice')
    const bob = await world.peer('bob')
    const eve = await world.peer('eve', { joinTimeoutMs: 4_000 })
    const x = await alice.peer.create({ title: 'Private', participants: [bob.publicKey], clauses: CLAIM_CLAUSES, deadline: inDays(30) })
    await bob.peer.join(x.invite)

    // The invite leaked to Eve; GENESIS does not name her, and no member serves her anything.
    await expect(eve.peer.join(x.invite)).rejects.toMatchObject({ code: 'NETWORK' })
    await waitFor(() => alice.peer.incidents().some((i) => i.code === 'NOT_A_MEMBER'), "Alice's record")
    expect(alice.peer.incidents()).toContainEqual(expect.objectContaining({ negotiation: x.negotiation, peer: eve.publicKey, code: 'NOT_A_MEMBER' }))
    expect(alice.peer.service.ledger.events(eve.publicKey).map((e) => [e.kind, e.reason])).toEqual([['MISBEHAVIOR', 'NOT_A_MEMBER']])
    expect(eve.peer.list()).toEqual([]) // not even GENESIS reached her
    expect(alice.peer.replicator.peers().map((p) => p.identity)).toEqual([bob.publicKey])
    expect(alice.peer.get(x.negotiation).status).toBe('NEGOTIATING')
  }, 90_000)

  it('a hello replayed from another connection is refused and recorded without blaming the member it names', async () => {
    world = await PeerWorld.create()
    const alice = await world.peer('alice')
    const bob = await world.peer('bob')
    const x = await alice.peer.create({ title: 'Private', participants: [bob.publicKey], clauses: CLAIM_CLAUSES, deadline: inDays(30) })
    const { topicSecret } = decodeInvite(x.invite)
    const raw = async (): Promise<SwarmConnection> => {
      const swarm = world!.network.createSwarm()
      const conn = new Promise<SwarmConnection>((resolve) => swarm.once('connection', (s: SwarmConnection) => resolve(s)))
      swarm.join(Buffer.from(topicFromSecret(hexToBytes(topicSecret))), { server: false, client: true })
      const s = await conn
      s.on('error', () => {})
      return s
    }
    const first = await raw()
    const second = await raw()
    // Bob's signature, captured on the first connection, replayed on the second.
    const hello = createHello(bob.identity.signer(), first.handshakeHash, x.negotiation, '11'.repeat(32))
    Hypercore.createProtocolStream(second)
    const mux = Hypercore.getProtocolMuxer(second)
    mux.createChannel({ protocol: HANDSHAKE_PROTOCOL, id: Buffer.from(x.negotiation, 'hex'), handshake: c.raw })?.open(Buffer.from(hello))

    await waitFor(() => alice.peer.incidents().some((i) => i.code === 'BAD_HANDSHAKE'), "Alice's record")
    expect(alice.peer.incidents()).toEqual([expect.objectContaining({ negotiation: x.negotiation, peer: null, code: 'BAD_HANDSHAKE' })])
    expect(alice.peer.incidents()[0]?.reason).toMatch(/replayed/)
    expect(alice.peer.service.ledger.events(bob.publicKey)).toEqual([]) // an unproven identity is never blamed
    first.destroy()
    // The real Bob still joins.
    await bob.peer.join(x.invite)
    await waitFor(() => alice.peer.get(x.negotiation).status === 'NEGOTIATING', 'Bob to join')
  }, 90_000)
})

/** The textHash a LOCK of "due" names, from the peer's current terms. */
function lockHash(w: WorldPeer, id: string): string {
  const clause = w.peer.get(id).clauses.find((c) => c.id === 'due')!
  return clauseHash(clause)
}
