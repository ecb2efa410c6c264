/**
 * What the negotiation screens read (DESIGN section 11): the timeline with each
 * message's seq, lamport, refs, body and signature check; one stored envelope
 * exactly as signed; the list's "who we are waiting on" (section 8's TIMEOUT
 * reading); and the optional guards that make an offer or a lock sign exactly
 * what the user read (STALE_TERMS otherwise, nothing stored).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src-main/core/crypto/hash.js'
import { negotiationsApi } from '../../src-main/core/node/negotiations-api.js'
import type { NegotiationRuntime } from '../../src-main/core/node/negotiation-runtime.js'
import { envelopeJson, stateJson, summaryJson } from '../../src-main/core/node/state-json.js'
import { parseEnvelope } from '../../src-main/core/protocol/envelope.js'
import { canonicalizeStrict } from '../../src-main/core/protocol/jcs.js'
import { clauseHash, termsHash } from '../../src-main/core/protocol/terms.js'
import { TestClock, cleanupPeers, deliver, footprint, makePeer, type Peer } from '../fixtures/negotiation-peers.js'
import { asyncTrustErrorOf, trustErrorOf } from '../fixtures/trust-error.js'

const DAY = 86_400_000

afterEach(cleanupPeers)

/** Alice, Bob and Carol (k = 2 of 3), created by Alice; nobody has joined yet. */
function trio(): { clock: TestClock; alice: Peer; bob: Peer; carol: Peer; negotiation: string; all: Peer[] } {
  const clock = new TestClock()
  const alice = makePeer('alice', clock)
  const bob = makePeer('bob', clock)
  const carol = makePeer('carol', clock)
  const created = alice.service.create({
    title: 'Shared fence',
    participants: [bob.key, carol.key],
    clauses: [
      { id: 'cost', title: 'Cost', text: 'Split three ways.' },
      { id: 'date', title: 'Date', text: 'By June.' },
    ],
    requiredConsensus: 2,
    deadline: clock.iso(10 * DAY),
  })
  deliver(created.genesis.bytes, alice, [bob, carol])
  return { clock, alice, bob, carol, negotiation: created.negotiation, all: [alice, bob, carol] }
}

/** `from` acts, and everyone else receives it. */
function act(from: Peer, others: Peer[], run: (s: Peer['service']) => { bytes: Uint8Array; hash: string }): string {
  const result = run(from.service)
  for (const r of deliver(result.bytes, from, others.filter((p) => p !== from))) expect(r.verdict).toBe('applied')
  return result.hash
}

describe('the timeline carries what the screens draw', () => {
  it('each entry has seq, lamport and the signed body, equal to the stored envelope (refs only in the envelope)', () => {
    const { clock, alice, bob, carol, negotiation, all } = trio()
    clock.tick()
    act(bob, all, (s) => s.join({ negotiation, feed: 'b'.repeat(64) }))
    act(carol, all, (s) => s.join({ negotiation, feed: 'c'.repeat(64) }))
    clock.tick()
    const offer = act(bob, all, (s) => s.offer({ negotiation, changes: [{ op: 'set', clause: 'cost', text: 'Bob pays half.' }], note: 'fair?' }))

    const view = stateJson(alice.service.get(negotiation))
    expect(view.timeline).toHaveLength(4)
    for (const entry of view.timeline) {
      const env = alice.service.envelope(negotiation, entry.hash).envelope as Record<string, unknown>
      expect(entry).toMatchObject({ seq: env.seq, lamport: env.lamport, body: env.body, author: env.author, verified: true })
      expect(entry).not.toHaveProperty('refs')
    }
    const offerEntry = view.timeline.find((e) => e.hash === offer)!
    expect(offerEntry.type).toBe('OFFER')
    expect(offerEntry.body).toEqual({
      base: termsHash([
        { id: 'cost', title: 'Cost', text: 'Split three ways.' },
        { id: 'date', title: 'Date', text: 'By June.' },
      ]),
      changes: [{ op: 'set', clause: 'cost', text: 'Bob pays half.' }],
      note: 'fair?',
    })
    expect((alice.service.envelope(negotiation, offer).envelope as { refs: string[] }).refs.length).toBeGreaterThan(0)
    expect(view.timeline[0]).toMatchObject({ type: 'GENESIS', seq: 0, lamport: 1 })

    // The API's copy is the caller's own: changing it changes nothing inside the core.
    ;(view.timeline[0]!.body as { title: string }).title = 'changed'
    const again = stateJson(alice.service.get(negotiation))
    expect(again.timeline[0]!.body.title).toBe('Shared fence')
  })

  it('has a textHash per clause (what a LOCK signs) and the arbiters who joined', () => {
    const clock = new TestClock()
    const alice = makePeer('alice', clock)
    const bob = makePeer('bob', clock)
    const judge = makePeer('judge', clock)
    const created = alice.service.create({
      title: 'With an arbiter',
      participants: [bob.key],
      clauses: [{ id: 'x', title: 'X', text: 'x' }],
      deadline: clock.iso(DAY),
      arbiters: { keys: [judge.key], threshold: 1 },
    })
    deliver(created.genesis.bytes, alice, [bob, judge])
    expect(stateJson(alice.service.get(created.negotiation)).arbitersJoined).toEqual([])
    clock.tick()
    const joined = judge.service.join({ negotiation: created.negotiation, feed: 'd'.repeat(64) })
    deliver(joined.bytes, judge, [alice])
    const view = stateJson(alice.service.get(created.negotiation))
    expect(view.arbitersJoined).toEqual([judge.key])
    expect(view.clauseHashes).toEqual({ x: clauseHash({ id: 'x', title: 'X', text: 'x' }) })
  })

  it('marks a stored envelope with a bad signature as not verified, in the timeline and in negotiations.envelope', () => {
    const { clock, alice, bob, negotiation } = trio()
    clock.tick()
    const joined = bob.service.join({ negotiation, feed: 'b'.repeat(64) })
    const env = JSON.parse(new TextDecoder().decode(joined.bytes)) as Record<string, unknown>
    env.time = clock.iso(1) // a different time under the same signature
    const forged = new TextEncoder().encode(canonicalizeStrict(env))
    const result = alice.service.ingest(forged, { source: 'remote', feedOwner: bob.key })
    expect(result).toMatchObject({ verdict: 'rejected', reason: 'BAD_SIGNATURE' })
    const entry = stateJson(alice.service.get(negotiation)).timeline.find((e) => e.hash === result.hash)!
    expect(entry).toMatchObject({ verified: false, verdict: 'rejected', reason: 'BAD_SIGNATURE' })
    expect(alice.service.envelope(negotiation, result.hash).verified).toBe(false)
  })
})

describe('negotiations.envelope', () => {
  it('returns the exact signed text: it hashes to the id, parses to the envelope, and its signature verifies', () => {
    const { clock, alice, bob, negotiation, all } = trio()
    clock.tick()
    const join = act(bob, all, (s) => s.join({ negotiation, feed: 'b'.repeat(64) }))
    for (const hash of [negotiation, join]) {
      const view = envelopeJson(alice.service.envelope(negotiation, hash))
      expect(sha256Hex(new TextEncoder().encode(view.json))).toBe(hash)
      expect(JSON.parse(view.json)).toEqual(view.envelope)
      expect(parseEnvelope(new TextEncoder().encode(view.json)).hash).toBe(hash)
      expect(view.verified).toBe(true)
    }
    expect(envelopeJson(alice.service.envelope(negotiation, join))).toMatchObject({ author: bob.key, envelope: { type: 'JOIN', seq: 0 } })
  })

  it('refuses a hash it does not hold for that negotiation, and a malformed one', () => {
    const { alice, negotiation } = trio()
    const other = trio()
    expect(trustErrorOf(() => alice.service.envelope(negotiation, 'a'.repeat(64))).code).toBe('NOT_FOUND')
    // A message that exists, but in another negotiation, is not this negotiation's.
    expect(trustErrorOf(() => other.alice.service.envelope(other.negotiation, negotiation)).code).toBe('NOT_FOUND')
    expect(trustErrorOf(() => alice.service.envelope(negotiation, 'ABC')).code).toBe('INVALID_INPUT')
    expect(trustErrorOf(() => alice.service.envelope('nope', negotiation)).code).toBe('INVALID_INPUT')
  })
})

describe('the list says whom an open negotiation waits on (DESIGN section 8, TIMEOUT)', () => {
  const summary = (p: Peer, id: string) => summaryJson(p.service.list().find((n) => n.negotiation === id)!)

  it('join, then accept, then finalize; nothing once binding; a withdrawn participant is not waited on', () => {
    const { clock, alice, bob, carol, negotiation, all } = trio()
    expect(summary(alice, negotiation)).toMatchObject({ status: 'INITIATED', waitingFor: 'join', waitingOn: [bob.key, carol.key] })
    clock.tick()
    act(bob, all, (s) => s.join({ negotiation, feed: 'b'.repeat(64) }))
    expect(summary(alice, negotiation)).toMatchObject({ waitingFor: 'join', waitingOn: [carol.key] })
    act(carol, all, (s) => s.join({ negotiation, feed: 'c'.repeat(64) }))
    const terms = alice.service.get(negotiation).termsHash
    expect(summary(alice, negotiation)).toMatchObject({ status: 'NEGOTIATING', waitingFor: 'accept', waitingOn: [alice.key, bob.key, carol.key], termsHash: terms, bindingHash: null })
    act(alice, all, (s) => s.accept({ negotiation, termsHash: terms }))
    expect(summary(bob, negotiation)).toMatchObject({ waitingFor: 'accept', waitingOn: [bob.key, carol.key] })
    act(bob, all, (s) => s.accept({ negotiation, termsHash: terms }))
    expect(summary(carol, negotiation)).toMatchObject({ status: 'CONSENSUS_REACHED', waitingFor: 'finalize', waitingOn: [alice.key, bob.key, carol.key] })
    act(carol, all, (s) => s.withdraw({ negotiation }))
    expect(summary(alice, negotiation)).toMatchObject({ waitingFor: 'finalize', waitingOn: [alice.key, bob.key] })
    act(alice, all, (s) => s.finalize({ negotiation, termsHash: terms }))
    act(bob, all, (s) => s.finalize({ negotiation, termsHash: terms }))
    const bound = summary(alice, negotiation)
    expect(bound).toMatchObject({ status: 'BINDING', waitingFor: null, waitingOn: [] })
    expect(bound.bindingHash).toBe(alice.service.get(negotiation).bindingHash)
  })

  it('an open negotiation past its deadline is EXPIRED and waits on no one', () => {
    const { clock, alice, negotiation } = trio()
    clock.tick(11 * DAY)
    expect(summary(alice, negotiation)).toMatchObject({ status: 'EXPIRED', waitingFor: null, waitingOn: [] })
  })
})

describe('an offer or a lock names what the user read', () => {
  function joinedPair() {
    const t = trio()
    t.clock.tick()
    act(t.bob, t.all, (s) => s.join({ negotiation: t.negotiation, feed: 'b'.repeat(64) }))
    act(t.carol, t.all, (s) => s.join({ negotiation: t.negotiation, feed: 'c'.repeat(64) }))
    return t
  }

  it('offer with the current base signs it; with an older base it is STALE_TERMS and nothing is signed or stored', () => {
    const { alice, bob, negotiation, all } = joinedPair()
    const before = alice.service.get(negotiation).termsHash
    act(bob, all, (s) => s.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'By July.' }], base: before}))
    const kept = footprint(alice)
    const signatures = alice.signatures()
    const err = trustErrorOf(() => alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'cost', text: 'Alice pays.' }], base: before}))
    expect(err.code).toBe('STALE_TERMS')
    expect(err.detail).toMatchObject({ named: before, current: alice.service.get(negotiation).termsHash })
    expect(footprint(alice)).toEqual(kept)
    expect(alice.signatures()).toBe(signatures)
    expect(trustErrorOf(() => alice.service.offer({ negotiation, changes: [{ op: 'remove', clause: 'date' }], base: 'x'})).code).toBe('INVALID_INPUT')
  })

  it('lock with the clause textHash shown signs that hash; after the clause changed it is STALE_TERMS', () => {
    const { alice, bob, negotiation, all } = joinedPair()
    const state = stateJson(alice.service.get(negotiation))
    const costHash = state.clauseHashes.cost!
    const lock = alice.service.lock({ negotiation, clause: 'cost', textHash: costHash})
    expect((alice.service.envelope(negotiation, lock.hash).envelope as { body: unknown }).body).toEqual({ clause: 'cost', textHash: costHash })
    deliver(lock.bytes, alice, all.slice(1))
    const dateHash = state.clauseHashes.date!
    act(bob, all, (s) => s.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'By July.' }] }))
    const kept = footprint(alice)
    const err = trustErrorOf(() => alice.service.lock({ negotiation, clause: 'date', textHash: dateHash}))
    expect(err.code).toBe('STALE_TERMS')
    expect(footprint(alice)).toEqual(kept)
    expect(trustErrorOf(() => alice.service.lock({ negotiation, clause: 'date', textHash: 42 as unknown as string })).code).toBe('INVALID_INPUT')
  })
})

describe('a window of the timeline, with the history computed from all of it', () => {
  /** Joins, two offers, Alice's and Bob's locks of `date`, then Carol withdraws, then Alice and Bob accept. */
  function story() {
    const t = trio()
    const { clock, alice, bob, carol, negotiation, all } = t
    clock.tick()
    act(bob, all, (s) => s.join({ negotiation, feed: 'b'.repeat(64) }))
    act(carol, all, (s) => s.join({ negotiation, feed: 'c'.repeat(64) }))
    clock.tick()
    act(bob, all, (s) => s.offer({ negotiation, changes: [{ op: 'set', clause: 'cost', text: 'Bob pays half.' }], note: 'fair?' }))
    clock.tick()
    act(alice, all, (s) => s.offer({ negotiation, changes: [{ op: 'add', clause: 'fee', title: 'Fee', text: 'None.' }] }))
    clock.tick()
    act(alice, all, (s) => s.lock({ negotiation, clause: 'date' }))
    act(carol, all, (s) => s.lock({ negotiation, clause: 'date' }))
    act(bob, all, (s) => s.lock({ negotiation, clause: 'cost' }))
    clock.tick()
    act(carol, all, (s) => s.withdraw({ negotiation }))
    clock.tick()
    const terms = alice.service.get(negotiation).termsHash
    act(alice, all, (s) => s.accept({ negotiation, termsHash: terms }))
    act(bob, all, (s) => s.accept({ negotiation, termsHash: terms }))
    return t
  }

  it('the history: locks by party (a withdrawn party loses theirs), acceptances with their count, each offer with the terms before it', () => {
    const { alice, bob, negotiation } = story()
    const full = stateJson(alice.service.get(negotiation))
    expect(full.timelineFrom).toBe(0)
    expect(full.timelineTotal).toBe(full.timeline.length)
    expect(full.history.lockedBy).toEqual({ date: [alice.key], cost: [bob.key] })
    expect(full.history.acceptCount).toBe(2)
    expect(full.history.accepts.map((a) => a.author)).toEqual([alice.key, bob.key])
    expect(full.history.accepts.every((a) => a.termsHash === full.termsHash)).toBe(true)
    expect(full.history.finalizeCount).toBe(0)
    expect(full.history.dispute).toBeNull()
    const offers = full.timeline.filter((e) => e.type === 'OFFER')
    expect(offers.map((o) => o.before?.map((c) => c.text))).toEqual([
      ['Split three ways.', 'By June.'],
      ['Bob pays half.', 'By June.'],
    ])
    expect(full.timeline.filter((e) => e.type !== 'OFFER').every((e) => e.before === undefined)).toBe(true)
  })

  it('a lock counts again when an offer brings back the text it named, as in the fold', () => {
    const { clock, alice, bob, carol, negotiation, all } = trio()
    clock.tick()
    act(bob, all, (s) => s.join({ negotiation, feed: 'b'.repeat(64) }))
    act(carol, all, (s) => s.join({ negotiation, feed: 'c'.repeat(64) }))
    act(alice, all, (s) => s.lock({ negotiation, clause: 'cost' }))
    act(bob, all, (s) => s.offer({ negotiation, changes: [{ op: 'set', clause: 'cost', text: 'Bob pays half.' }] }))
    expect(stateJson(alice.service.get(negotiation)).history.lockedBy).toEqual({})
    act(alice, all, (s) => s.offer({ negotiation, changes: [{ op: 'set', clause: 'cost', text: 'Split three ways.' }] }))
    act(bob, all, (s) => s.lock({ negotiation, clause: 'cost' }))
    const state = stateJson(alice.service.get(negotiation))
    expect(state.lockedClauses).toEqual(['cost'])
    expect(state.history.lockedBy).toEqual({ cost: [alice.key, bob.key] })
  })

  it('a window holds exactly its slice, says where it starts, and carries the same history; past the end it is empty', () => {
    const { alice, negotiation } = story()
    const view = alice.service.get(negotiation)
    const full = stateJson(view)
    const window = stateJson(view, { from: 4, limit: 3 })
    expect(window.timelineFrom).toBe(4)
    expect(window.timelineTotal).toBe(full.timelineTotal)
    expect(window.timeline).toEqual(full.timeline.slice(4, 7))
    expect(window.history).toEqual(full.history)
    expect({ ...window, timeline: [], timelineFrom: 0 }).toEqual({ ...full, timeline: [] })
    const past = stateJson(view, { from: 1000, limit: 10 })
    expect(past.timeline).toEqual([])
    expect(past.timelineFrom).toBe(full.timelineTotal)
  })

  it('negotiations.get takes from and limit (1 to 1,000), from only with limit', async () => {
    const { alice, negotiation } = story()
    const rt = { service: () => alice.service, now: () => Date.now() }
    const methods = negotiationsApi(rt as unknown as NegotiationRuntime)
    const window = await methods['negotiations.get']({ negotiation, from: 2, limit: 2 })
    expect(window.timeline).toHaveLength(2)
    expect(window.timelineFrom).toBe(2)
    const refused = async (params: Record<string, unknown>, field: string) =>
      expect(await asyncTrustErrorOf(methods['negotiations.get']({ negotiation, ...params }))).toMatchObject({ code: 'INVALID_INPUT', detail: { field } })
    await refused({ from: 2 }, 'limit')
    await refused({ limit: 0 }, 'limit')
    await refused({ limit: 1001 }, 'limit')
    await refused({ from: -1, limit: 5 }, 'from')
    await refused({ from: 1.5, limit: 5 }, 'from')
  })
})

describe('the TrustApi methods over the service', () => {
  /** negotiationsApi on a runtime whose peer acts through the service directly (no network: these are param checks). */
  function api(peer: Peer) {
    const rt = {
      service: () => peer.service,
      peer: async () => ({ act: async (kind: string, params: Record<string, unknown>) => (peer.service as unknown as Record<string, (p: unknown) => unknown>)[kind]!(params) }),
      now: () => Date.now(),
    }
    return negotiationsApi(rt as unknown as NegotiationRuntime)
  }

  it('negotiations.envelope checks its params, naming the field', async () => {
    const { alice, negotiation } = trio()
    const methods = api(alice)
    expect((await methods['negotiations.envelope']({ negotiation, hash: negotiation })).envelope.type).toBe('GENESIS')
    expect((await asyncTrustErrorOf(methods['negotiations.envelope']({ negotiation, hash: 'zz' }))).detail).toMatchObject({ field: 'hash' })
    expect((await asyncTrustErrorOf(methods['negotiations.envelope']({ negotiation } as never))).detail).toMatchObject({ field: 'hash' })
    expect((await asyncTrustErrorOf(methods['negotiations.envelope']({ negotiation, hash: negotiation, extra: 1 } as never))).code).toBe('INVALID_INPUT')
  })

  it('offer takes an optional base and lock an optional textHash, both checked for shape', async () => {
    const t = trio()
    t.clock.tick()
    act(t.bob, t.all, (s) => s.join({ negotiation: t.negotiation, feed: 'b'.repeat(64) }))
    act(t.carol, t.all, (s) => s.join({ negotiation: t.negotiation, feed: 'c'.repeat(64) }))
    const methods = api(t.alice)
    const state = await methods['negotiations.get']({ negotiation: t.negotiation })
    const badBase = await asyncTrustErrorOf(methods['negotiations.offer']({ negotiation: t.negotiation, changes: [{ op: 'remove', clause: 'date' }], base: 'nope' }))
    expect(badBase).toMatchObject({ code: 'INVALID_INPUT', detail: { field: 'base' } })
    const locked = await methods['negotiations.lock']({ negotiation: t.negotiation, clause: 'cost', textHash: state.clauseHashes.cost! })
    expect(locked.state.timeline.at(-1)).toMatchObject({ type: 'LOCK', body: { clause: 'cost', textHash: state.clauseHashes.cost } })
    // An action's answer ends with the latest message: a window reaching the end.
    expect(locked.state.timelineFrom + locked.state.timeline.length).toBe(locked.state.timelineTotal)
    const offered = await methods['negotiations.offer']({ negotiation: t.negotiation, changes: [{ op: 'set', clause: 'date', text: 'By May.' }], base: state.termsHash })
    expect(offered.state.termsHash).not.toBe(state.termsHash)
    const stale = await asyncTrustErrorOf(methods['negotiations.offer']({ negotiation: t.negotiation, changes: [{ op: 'remove', clause: 'date' }], base: state.termsHash }))
    expect(stale.code).toBe('STALE_TERMS')
    const list = await methods['negotiations.list']({})
    expect(list[0]).toMatchObject({ waitingFor: 'accept', termsHash: offered.state.termsHash, bindingHash: null })
  })
})
