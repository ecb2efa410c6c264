import { afterEach, describe, expect, it } from 'vitest'
import { IdentityService } from '../../src-main/core/identity/index.js'
import { NegotiationService, type CreateInput } from '../../src-main/core/negotiation/index.js'
import { createEnvelope, type UnsignedEnvelope } from '../../src-main/core/protocol/index.js'
import { canonicalizeStrict } from '../../src-main/core/protocol/jcs.js'
import { ReceiptChain } from '../../src-main/core/receipts/index.js'
import {
  TestClock,
  cleanupPeers,
  deliver,
  footprint,
  makePeer,
  openTracked,
  randomKey,
  tempDir,
  type Peer,
} from '../fixtures/negotiation-peers.js'
import { trustErrorOf } from '../fixtures/trust-error.js'

const DAY = 86_400_000

afterEach(cleanupPeers)

function validInput(clock: TestClock, others: string[]): CreateInput {
  return {
    title: 'Fence damages',
    participants: others,
    clauses: [
      { id: 'damages', title: 'Damages', text: 'Bob pays Alice $1000.' },
      { id: 'date', title: 'Payment date', text: 'Within 30 days.' },
    ],
    deadline: clock.iso(10 * DAY),
  }
}

/** Alice and Bob, a negotiation created by Alice and joined by Bob (NEGOTIATING on both sides). */
function pair(options: { cacheSize?: number } = {}): { clock: TestClock; alice: Peer; bob: Peer; negotiation: string } {
  const clock = new TestClock()
  const alice = makePeer('alice', clock, options)
  const bob = makePeer('bob', clock, options)
  const created = alice.service.create(validInput(clock, [bob.key]))
  expect(bob.service.ingest(created.genesis.bytes, { feedOwner: alice.key }).verdict).toBe('applied')
  clock.tick()
  const joined = bob.service.join({ negotiation: created.negotiation, feed: 'e'.repeat(64) })
  expect(deliver(joined.bytes, bob, [alice])[0]?.verdict).toBe('applied')
  return { clock, alice, bob, negotiation: created.negotiation }
}

/** Re-encodes an envelope after `mutate`, canonically, so it still parses. */
function forge(bytes: Uint8Array, mutate: (env: Record<string, unknown>) => void): Uint8Array {
  const env = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>
  mutate(env)
  return new TextEncoder().encode(canonicalizeStrict(env))
}

function flipHexChar(hex: string, at: number): string {
  const c = hex[at] === '0' ? '1' : '0'
  return hex.slice(0, at) + c + hex.slice(at + 1)
}

describe('NegotiationService.create validation', () => {
  const SMALL_ORDER = '01' + '00'.repeat(31) // the identity point: refused by strict RFC 8032 checks

  const cases: [string, string, (input: CreateInput, me: string, clock: TestClock) => unknown][] = [
    ['not an object', 'INVALID_INPUT', () => 'title'],
    ['an empty title', 'INVALID_INPUT', (i) => ({ ...i, title: '  ' })],
    ['an oversize title', 'TOO_LARGE', (i) => ({ ...i, title: 'x'.repeat(201) })],
    ['a title with a control character', 'INVALID_INPUT', (i) => ({ ...i, title: 'a\u0007b' })],
    ['no counterparty', 'INVALID_INPUT', (i) => ({ ...i, participants: [] })],
    ['participants not a list', 'INVALID_INPUT', (i) => ({ ...i, participants: 'bob' })],
    ['duplicate participants', 'INVALID_INPUT', (i) => ({ ...i, participants: [i.participants[0], i.participants[0]] })],
    ['yourself as a participant', 'INVALID_INPUT', (i, me) => ({ ...i, participants: [...i.participants, me] })],
    ['a malformed key', 'BAD_KEY', (i) => ({ ...i, participants: ['abc'] })],
    ['an uppercase key', 'BAD_KEY', (i) => ({ ...i, participants: [i.participants[0]!.toUpperCase()] })],
    ['a small-order key', 'BAD_KEY', (i) => ({ ...i, participants: [SMALL_ORDER] })],
    ['eleven participants', 'INVALID_INPUT', (i) => ({ ...i, participants: Array.from({ length: 10 }, randomKey) })],
    ['k below a majority', 'INVALID_INPUT', (i) => ({ ...i, participants: [randomKey(), randomKey(), randomKey()], requiredConsensus: 2 })],
    ['k above n', 'INVALID_INPUT', (i) => ({ ...i, requiredConsensus: 3 })],
    ['a fractional k', 'INVALID_INPUT', (i) => ({ ...i, requiredConsensus: 1.5 })],
    ['a deadline in the past', 'INVALID_INPUT', (i, _me, clock) => ({ ...i, deadline: clock.iso(-1) })],
    ['a deadline of now', 'INVALID_INPUT', (i, _me, clock) => ({ ...i, deadline: clock.iso(0) })],
    ['a deadline without milliseconds', 'INVALID_INPUT', (i) => ({ ...i, deadline: '2030-01-01T00:00:00Z' })],
    ['a deadline that is no date', 'INVALID_INPUT', (i) => ({ ...i, deadline: '2030-02-30T00:00:00.000Z' })],
    ['no clauses', 'INVALID_INPUT', (i) => ({ ...i, clauses: [] })],
    ['duplicate clause ids', 'INVALID_INPUT', (i) => ({ ...i, clauses: [i.clauses[0], { ...i.clauses[1]!, id: 'damages' }] })],
    ['an invalid clause id', 'INVALID_INPUT', (i) => ({ ...i, clauses: [{ ...i.clauses[0]!, id: 'Damages!' }] })],
    ['a clause with an extra field', 'INVALID_INPUT', (i) => ({ ...i, clauses: [{ ...i.clauses[0]!, x: 1 }] })],
    ['an empty clause text', 'INVALID_INPUT', (i) => ({ ...i, clauses: [{ ...i.clauses[0]!, text: '' }] })],
    ['an oversize clause text', 'TOO_LARGE', (i) => ({ ...i, clauses: [{ ...i.clauses[0]!, text: 'x'.repeat(4001) }] })],
    ['51 clauses', 'INVALID_INPUT', (i) => ({ ...i, clauses: Array.from({ length: 51 }, (_, n) => ({ id: `c${n}`, title: 'T', text: 'x' })) })],
    ['an arbiter threshold of 0', 'INVALID_INPUT', (i) => ({ ...i, arbiters: { keys: [randomKey()], threshold: 0 } })],
    ['an arbiter who is a participant', 'INVALID_INPUT', (i) => ({ ...i, arbiters: { keys: [i.participants[0]], threshold: 1 } })],
    ['a bad arbiter key', 'BAD_KEY', (i) => ({ ...i, arbiters: { keys: ['zz'], threshold: 1 } })],
    ['an appeal window of 0 days', 'INVALID_INPUT', (i) => ({ ...i, appealWindowDays: 0 })],
    ['an appeal window of 366 days', 'INVALID_INPUT', (i) => ({ ...i, appealWindowDays: 366 })],
    ['an unknown field', 'INVALID_INPUT', (i) => ({ ...i, currency: 'USD' })],
  ]

  for (const [what, code, make] of cases) {
    it(`refuses ${what} with ${code}, signing and storing nothing`, () => {
      const clock = new TestClock()
      const alice = makePeer('alice', clock)
      const before = footprint(alice)
      const err = trustErrorOf(() => alice.service.create(make(validInput(clock, [randomKey()]), alice.key, clock) as CreateInput))
      expect(err.code).toBe(code)
      expect(err.message.startsWith(`${code}: `)).toBe(true)
      expect(footprint(alice)).toEqual(before)
      expect(alice.service.list()).toEqual([])
    })
  }

  it('creates with the creator first, k defaulting to n, and one receipt', () => {
    const clock = new TestClock()
    const alice = makePeer('alice', clock)
    const bob = randomKey()
    const carol = randomKey()
    const { negotiation, genesis, state } = alice.service.create(validInput(clock, [bob, carol]))
    expect(negotiation).toBe(genesis.hash)
    expect(state.participants).toEqual([alice.key, bob, carol])
    expect(state.requiredConsensus).toBe(3)
    expect(state.status).toBe('INITIATED')
    expect(state.joined).toEqual([alice.key])
    expect(alice.receipts.list().map((r) => [r.receipt.action, r.receipt.ref])).toEqual([['negotiation.create', negotiation]])
    expect(alice.service.list().map((n) => [n.negotiation, n.status])).toEqual([[negotiation, 'INITIATED']])
    expect(alice.events.map((e) => e.type)).toEqual(['message', 'negotiation'])
  })
})

describe('NegotiationService refuses before signing', () => {
  type Refusal = [string, string, string | undefined, (s: ReturnType<typeof pair>) => unknown]
  const refusals: Refusal[] = [
    ['an unknown negotiation', 'NOT_FOUND', undefined, ({ alice }) => alice.service.accept({ negotiation: 'a'.repeat(64), termsHash: 'b'.repeat(64) })],
    ['a malformed negotiation id', 'INVALID_INPUT', undefined, ({ alice }) => alice.service.accept({ negotiation: 'xyz', termsHash: 'b'.repeat(64) })],
    ['a locked identity', 'LOCKED', undefined, (s) => {
      s.alice.locked = true
      return s.alice.service.accept({ negotiation: s.negotiation, termsHash: s.alice.service.get(s.negotiation).termsHash })
    }],
    ['an accept of terms the user did not see', 'STALE_TERMS', undefined, ({ alice, negotiation }) => alice.service.accept({ negotiation, termsHash: 'b'.repeat(64) })],
    ['a malformed terms hash', 'INVALID_INPUT', undefined, ({ alice, negotiation }) => alice.service.accept({ negotiation, termsHash: 'B'.repeat(64) })],
    ['a finalize before consensus', 'ILLEGAL_ACTION', 'WRONG_STATE', ({ alice, negotiation }) =>
      alice.service.finalize({ negotiation, termsHash: alice.service.get(negotiation).termsHash })],
    ['a second accept', 'ILLEGAL_ACTION', 'DUPLICATE_ACTION', ({ alice, negotiation }) => {
      const { termsHash } = alice.service.get(negotiation)
      alice.service.accept({ negotiation, termsHash })
      return alice.service.accept({ negotiation, termsHash })
    }],
    ['a second join', 'ILLEGAL_ACTION', 'DUPLICATE_ACTION', ({ bob, negotiation }) => bob.service.join({ negotiation, feed: 'd'.repeat(64) })],
    ['a set of an unknown clause', 'ILLEGAL_ACTION', 'UNKNOWN_CLAUSE', ({ alice, negotiation }) =>
      alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'nope', text: 'x' }] })],
    ['an add of an existing clause', 'ILLEGAL_ACTION', 'CLAUSE_EXISTS', ({ alice, negotiation }) =>
      alice.service.offer({ negotiation, changes: [{ op: 'add', clause: 'date', title: 'Date', text: 'x' }] })],
    ['an offer that changes nothing', 'ILLEGAL_ACTION', 'NO_CHANGE', ({ alice, negotiation }) =>
      alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'Within 30 days.' }] })],
    ['an offer removing every clause', 'ILLEGAL_ACTION', 'TERMS_LIMIT', ({ alice, negotiation }) =>
      alice.service.offer({ negotiation, changes: [{ op: 'remove', clause: 'date' }, { op: 'remove', clause: 'damages' }] })],
    ['a malformed change', 'INVALID_INPUT', undefined, ({ alice, negotiation }) =>
      alice.service.offer({ negotiation, changes: [{ op: 'rename', clause: 'date' }] })],
    ['a lock of an unknown clause', 'NOT_FOUND', undefined, ({ alice, negotiation }) => alice.service.lock({ negotiation, clause: 'nope' })],
    ['a dispute before binding', 'ILLEGAL_ACTION', 'WRONG_STATE', ({ alice, negotiation }) => alice.service.dispute({ negotiation, reason: 'x' })],
    ['a decision by a non-arbiter', 'ILLEGAL_ACTION', 'NOT_PARTICIPANT', ({ alice, negotiation }) =>
      alice.service.decide({ negotiation, outcome: 'upheld' })],
    ['a resolve without a dispute', 'ILLEGAL_ACTION', 'WRONG_STATE', ({ alice, negotiation }) => alice.service.resolve({ negotiation, settlement: 'x' })],
    ['an action after the deadline', 'ILLEGAL_ACTION', 'EXPIRED', ({ alice, clock, negotiation }) => {
      clock.tick(11 * DAY)
      return alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'Tomorrow.' }] })
    }],
    ['an action after withdrawing', 'ILLEGAL_ACTION', 'AUTHOR_WITHDRAWN', ({ alice, bob, negotiation }) => {
      const w = bob.service.withdraw({ negotiation })
      deliver(w.bytes, bob, [alice])
      return bob.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'Never.' }] })
    }],
  ]

  for (const [what, code, reason, act] of refusals) {
    it(`refuses ${what}: ${code}${reason === undefined ? '' : ` (${reason})`}, no signature, no message, no receipt`, () => {
      const s = pair()
      const peers = [s.alice, s.bob]
      // Set-up steps inside `act` may sign; the footprint that counts is taken right before the refused call.
      let before = peers.map(footprint)
      const snap = (): void => {
        before = peers.map(footprint)
      }
      const err = trustErrorOf(() => act({ ...s, alice: withSnapshot(s.alice, snap), bob: withSnapshot(s.bob, snap) }))
      expect(err.code).toBe(code)
      if (reason !== undefined) expect(err.detail?.reason).toBe(reason)
      expect(peers.map(footprint)).toEqual(before)
      s.alice.locked = false
      const { timeline: _t, ...live } = s.alice.service.get(s.negotiation)
      expect(s.alice.service.rebuild(s.negotiation)).toEqual(live)
    })
  }
})

/** A view of `peer` whose service records the footprint just before each call, so only the last call is measured. */
function withSnapshot(peer: Peer, snap: () => void): Peer {
  const service = new Proxy(peer.service, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        snap()
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  return new Proxy(peer, {
    get(target, prop, receiver) {
      return prop === 'service' ? service : Reflect.get(target, prop, receiver)
    },
    set(target, prop, value) {
      return Reflect.set(target, prop, value)
    },
  })
}

describe('NegotiationService.ingest', () => {
  it('returns unreadable bytes as a rejected verdict with the error code, storing nothing', () => {
    const { alice, bob, negotiation } = pair()
    const real = alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'In 10 days.' }] })
    const before = footprint(bob)
    const garbage: [Uint8Array, string][] = [
      [new TextEncoder().encode('not json'), 'INVALID_ENCODING'],
      [new Uint8Array([0xff, 0xfe, 0x00]), 'INVALID_ENCODING'],
      [real.bytes.slice(0, real.bytes.length - 1), 'INVALID_ENCODING'],
      [new TextEncoder().encode('{"a":1,"a":1}'), 'INVALID_ENCODING'],
      [new TextEncoder().encode(new TextDecoder().decode(real.bytes).replace('{', '{ ')), 'NON_CANONICAL'],
      [new Uint8Array(70_000).fill(0x20), 'TOO_LARGE'],
      [forge(real.bytes, (e) => (e.v = 2)), 'BAD_ENVELOPE'],
      [forge(real.bytes, (e) => (e.extra = true)), 'BAD_ENVELOPE'],
    ]
    for (const [bytes, code] of garbage) {
      const result = bob.service.ingest(bytes, { feedOwner: alice.key })
      expect(result.verdict).toBe('rejected')
      expect(result.reason).toBe(code)
      expect(result.learnedFeeds).toEqual([])
    }
    expect(bob.service.ingest('nope' as unknown as Uint8Array).reason).toBe('INVALID_INPUT')
    expect(footprint(bob)).toEqual(before)
    expect(deliver(real.bytes, alice, [bob])[0]?.verdict).toBe('applied')
  })

  it('keeps a forged signature as rejected evidence and blames the feed owner, never the claimed author', () => {
    const { clock, alice, bob, negotiation } = pair()
    const carol = makePeer('carol', clock)
    clock.tick()
    const real = alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'In 10 days.' }] })
    const forged = (at: number): Uint8Array => forge(real.bytes, (e) => (e.sig = flipHexChar(e.sig as string, at)))

    // No feed owner (e.g. a file): stored as evidence, nobody blamed.
    const loose = bob.service.ingest(forged(10))
    expect([loose.verdict, loose.reason]).toEqual(['rejected', 'BAD_SIGNATURE'])
    expect(bob.service.ledger.events(alice.key)).toEqual([])

    // Found on Carol's feed with Alice as author: Carol wrote someone else's name on her own feed.
    const relayed = bob.service.ingest(forged(20), { feedOwner: carol.key })
    expect([relayed.verdict, relayed.reason]).toEqual(['rejected', 'FEED_AUTHOR_MISMATCH'])
    expect(bob.service.ledger.events(carol.key).map((e) => [e.kind, e.reason])).toEqual([['MISBEHAVIOR', 'FEED_AUTHOR_MISMATCH']])
    expect(bob.service.ledger.events(alice.key)).toEqual([])

    // On Alice's own feed: only Alice could have written it there.
    const owned = bob.service.ingest(forged(30), { feedOwner: alice.key })
    expect([owned.verdict, owned.reason]).toEqual(['rejected', 'BAD_SIGNATURE'])
    expect(bob.service.ledger.events(alice.key).map((e) => [e.kind, e.reason, e.ref])).toEqual([['MISBEHAVIOR', 'BAD_SIGNATURE', owned.hash]])
    expect(bob.service.ledger.score(alice.key)).toBe(0.2)

    const timeline = bob.service.get(negotiation).timeline
    expect(timeline.filter((m) => m.reason === 'BAD_SIGNATURE').map((m) => m.hash).sort()).toEqual([loose.hash, owned.hash].sort())
    // The genuine message still applies: forgeries take no place in Alice's feed.
    expect(deliver(real.bytes, alice, [bob])[0]?.verdict).toBe('applied')
    expect(bob.service.get(negotiation).clauses.find((c) => c.id === 'date')?.text).toBe('In 10 days.')
  })

  it('rejects an envelope of another negotiation, and one of a negotiation it does not know, storing neither', () => {
    const { clock, alice, bob, negotiation } = pair()
    const other = alice.service.create(validInput(clock, [bob.key]))
    const before = footprint(bob)
    const wrongFeed = bob.service.ingest(other.genesis.bytes, { feedOwner: alice.key, negotiation })
    expect([wrongFeed.verdict, wrongFeed.reason]).toEqual(['rejected', 'WRONG_NEGOTIATION'])
    clock.tick()
    const unknownWithdraw = alice.service.withdraw({ negotiation: other.negotiation })
    const unknown = bob.service.ingest(unknownWithdraw.bytes, { feedOwner: alice.key })
    expect([unknown.verdict, unknown.reason]).toEqual(['rejected', 'UNKNOWN_NEGOTIATION'])
    expect(footprint(bob)).toEqual(before)
    expect(trustErrorOf(() => bob.service.get(other.negotiation)).code).toBe('NOT_FOUND')
  })

  it('refuses a GENESIS that does not name us', () => {
    const clock = new TestClock()
    const alice = makePeer('alice', clock)
    const mallory = makePeer('mallory', clock)
    const created = alice.service.create(validInput(clock, [randomKey()]))
    const before = footprint(mallory)
    expect(mallory.service.ingest(created.genesis.bytes, { feedOwner: alice.key }).reason).toBe('NOT_PARTICIPANT')
    expect(footprint(mallory)).toEqual(before)
  })

  it('ignores an exact replay', () => {
    const { alice, bob, negotiation } = pair()
    const offer = alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'In 10 days.' }] })
    const first = deliver(offer.bytes, alice, [bob])[0]!
    const before = footprint(bob)
    const events = bob.events.length
    const again = bob.service.ingest(offer.bytes, { feedOwner: alice.key })
    expect(again).toEqual({ hash: first.hash, verdict: 'applied', duplicate: true, learnedFeeds: [] })
    expect(footprint(bob)).toEqual(before)
    expect(bob.events.length).toBe(events)
  })

  it('records equivocation once against its author, whose two signatures prove it', () => {
    const { clock, alice, bob, negotiation } = pair()
    clock.tick()
    const base = alice.service.get(negotiation)
    const next = { seq: 1, lamport: base.lastLamport + 1, refs: [...base.heads] }
    const offer = (text: string): UnsignedEnvelope => ({
      v: 1,
      type: 'OFFER',
      negotiation,
      author: bob.key,
      ...next,
      time: clock.iso(),
      body: { base: base.termsHash, changes: [{ op: 'set', clause: 'damages', text }] },
    })
    const one = createEnvelope(bob.signer, offer('Bob pays Alice $10.'))
    const two = createEnvelope(bob.signer, offer('Bob pays Alice $1.'))
    for (const e of [one, two]) alice.service.ingest(e.bytes, { feedOwner: bob.key })
    const state = alice.service.get(negotiation)
    // Fold order (lamport, hash) decides which of the two applies, the same on every machine.
    const verdicts = state.timeline.filter((m) => m.hash === one.hash || m.hash === two.hash).map((m) => [m.verdict, m.reason])
    expect(verdicts).toEqual([
      ['applied', null],
      ['rejected', 'EQUIVOCATION'],
    ])
    expect(state.equivocators).toEqual([bob.key])
    expect(alice.service.ledger.events(bob.key).map((e) => [e.kind, e.reason])).toEqual([['MISBEHAVIOR', 'EQUIVOCATION']])
    const third = createEnvelope(bob.signer, offer('Bob pays Alice $2.'))
    alice.service.ingest(third.bytes, { feedOwner: bob.key })
    const all = alice.service.get(negotiation).timeline.filter((m) => m.type === 'OFFER')
    expect(all.map((m) => m.reason).sort()).toEqual(['EQUIVOCATION', 'EQUIVOCATION', null])
    expect(alice.service.ledger.events(bob.key)).toHaveLength(1)
  })

  it('holds a message whose ref has not arrived as pending, and applies it when the ref comes', () => {
    const { clock, alice, bob, negotiation } = pair()
    clock.tick()
    const first = bob.service.offer({ negotiation, changes: [{ op: 'set', clause: 'damages', text: 'Bob pays Alice $600.' }] })
    clock.tick()
    const second = bob.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'In 60 days.' }] })
    const early = alice.service.ingest(second.bytes, { feedOwner: bob.key })
    expect([early.verdict, early.reason]).toEqual(['pending', 'MISSING_REF'])
    const late = alice.service.ingest(first.bytes, { feedOwner: bob.key })
    expect(late.verdict).toBe('applied')
    const view = alice.service.get(negotiation)
    expect(view.timeline.find((m) => m.hash === second.hash)?.verdict).toBe('applied')
    expect(view.termsHash).toBe(bob.service.get(negotiation).termsHash)
    const { timeline: _t, ...live } = view
    expect(alice.service.rebuild(negotiation)).toEqual(live)
  })

  it('teaches the feeds of JOINs it applies', () => {
    const clock = new TestClock()
    const alice = makePeer('alice', clock)
    const bob = makePeer('bob', clock)
    const created = alice.service.create(validInput(clock, [bob.key]))
    bob.service.ingest(created.genesis.bytes, { feedOwner: alice.key })
    clock.tick()
    const join = bob.service.join({ negotiation: created.negotiation, feed: '9'.repeat(64) })
    const result = alice.service.ingest(join.bytes, { feedOwner: bob.key, negotiation: created.negotiation })
    expect(result.learnedFeeds).toEqual([{ publicKey: bob.key, feed: '9'.repeat(64) }])
    expect(alice.service.feedsOf(created.negotiation).get(bob.key)).toBe('9'.repeat(64))
    expect(alice.service.setFeed(created.negotiation, alice.key, '8'.repeat(64))).toBe(true)
    expect(alice.service.setFeed(created.negotiation, bob.key, '7'.repeat(64))).toBe(false)
    expect(trustErrorOf(() => alice.service.setFeed(created.negotiation, randomKey(), '7'.repeat(64))).code).toBe('NOT_FOUND')
  })
})

describe('NegotiationService state, jobs and durability', () => {
  it('emits a message event with the verdict and a negotiation event per state change', () => {
    const { alice, bob, negotiation } = pair()
    alice.events.length = 0
    const offer = alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'In 5 days.' }] })
    expect(alice.events).toEqual([
      { type: 'message', negotiation, hash: offer.hash, author: alice.key, messageType: 'OFFER', verdict: 'applied' },
      { type: 'negotiation', negotiation, status: 'NEGOTIATING', termsHash: offer.state.termsHash },
    ])
    bob.events.length = 0
    deliver(offer.bytes, alice, [bob])
    expect(bob.events.map((e) => e.type)).toEqual(['message', 'negotiation'])
  })

  it('expireDue marks EXPIRED with a receipt and TIMEOUT events against those it waited on, once', () => {
    const { clock, alice, bob, negotiation } = pair()
    const { termsHash } = alice.service.get(negotiation)
    deliver(alice.service.accept({ negotiation, termsHash }).bytes, alice, [bob])
    expect(alice.service.expireDue()).toEqual([])
    clock.tick(11 * DAY)
    expect(alice.service.list()[0]?.status).toBe('EXPIRED')
    expect(alice.service.expireDue()).toEqual([negotiation])
    expect(alice.service.get(negotiation).status).toBe('EXPIRED')
    expect(alice.service.ledger.events(bob.key).map((e) => [e.kind, e.delta, e.negotiation])).toEqual([['TIMEOUT', -20, negotiation]])
    expect(alice.service.ledger.score(bob.key)).toBe(0.48)
    expect(alice.receipts.list().at(-1)?.receipt.action).toBe('negotiation.expired')
    expect(alice.service.expireDue()).toEqual([])
    expect(alice.service.ledger.events(bob.key)).toHaveLength(1)
    // Bob waited on nobody: Alice had accepted.
    expect(bob.service.expireDue()).toEqual([negotiation])
    expect(bob.service.ledger.events(alice.key)).toEqual([])
  })

  it('lapseDue marks an appeal LAPSED past its due time; the state stays DISPUTED', () => {
    const { clock, alice, bob, negotiation } = pair()
    const { termsHash } = alice.service.get(negotiation)
    for (const step of ['accept', 'finalize'] as const) {
      for (const [me, other] of [[alice, bob], [bob, alice]] as const) {
        clock.tick()
        deliver(me.service[step]({ negotiation, termsHash }).bytes, me, [other])
      }
    }
    clock.tick()
    deliver(bob.service.dispute({ negotiation, reason: 'Not paid.' }).bytes, bob, [alice])
    expect(alice.service.lapseDue()).toEqual([])
    clock.tick(8 * DAY)
    expect(alice.service.lapseDue()).toEqual([negotiation])
    const state = alice.service.get(negotiation)
    expect([state.status, state.appeal?.status]).toEqual(['DISPUTED', 'LAPSED'])
    expect(alice.receipts.list().at(-1)?.receipt.action).toBe('negotiation.lapsed')
    expect(alice.service.lapseDue()).toEqual([])
    expect(trustErrorOf(() => alice.service.resolve({ negotiation, settlement: 'Paid late.' })).detail?.reason).toBe('LATE')
  })

  it('stays correct with a one-negotiation cache and across a restart on the same file', () => {
    const { clock, alice, bob, negotiation } = pair({ cacheSize: 1 })
    const second = alice.service.create(validInput(clock, [bob.key]))
    bob.service.ingest(second.genesis.bytes, { feedOwner: alice.key })
    for (let i = 0; i < 3; i++) {
      clock.tick()
      const offer = alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: `In ${i + 1} days.` }] })
      expect(deliver(offer.bytes, alice, [bob])[0]?.verdict).toBe('applied')
      // Each peer's one-slot cache now swaps to the other negotiation and back.
      expect(alice.service.get(second.negotiation).status).toBe('INITIATED')
      expect(bob.service.get(second.negotiation).status).toBe('INITIATED')
    }
    const restarted = new NegotiationService({
      db: alice.db,
      identity: { signer: () => alice.signer },
      receipts: alice.receipts,
      now: clock.now,
    })
    clock.tick()
    const more = restarted.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'In 9 days.' }] })
    expect(deliver(more.bytes, alice, [bob])[0]?.verdict).toBe('applied')
    expect(restarted.get(negotiation).termsHash).toBe(bob.service.get(negotiation).termsHash)
    expect(alice.receipts.verifyChain().ok).toBe(true)
  })

  it('a store failure mid-transaction leaves no message, receipt or state behind', () => {
    const { clock, alice, bob, negotiation } = pair()
    const before = alice.service.get(negotiation)
    const rows = footprint(alice)
    alice.db.exec("CREATE TEMP TRIGGER fail_receipts BEFORE INSERT ON main.receipts BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    clock.tick()
    const err = trustErrorOf(() => alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'Lost.' }] }))
    expect(err.message).toContain('disk full')
    expect({ ...footprint(alice), signatures: 0 }).toEqual({ ...rows, signatures: 0 })
    alice.db.exec('DROP TRIGGER fail_receipts')
    expect(alice.service.get(negotiation).termsHash).toBe(before.termsHash)
    clock.tick()
    const kept = alice.service.offer({ negotiation, changes: [{ op: 'set', clause: 'date', text: 'Kept.' }] })
    expect(deliver(kept.bytes, alice, [bob])[0]?.verdict).toBe('applied')
    const { timeline: _t, ...live } = alice.service.get(negotiation)
    expect(alice.service.rebuild(negotiation)).toEqual(live)
    expect(live.rejected).toEqual([])
    expect(alice.receipts.verifyChain().ok).toBe(true)
  })

  it('works with a real IdentityService, and refuses with LOCKED once it is locked', async () => {
    const clock = new TestClock()
    const db = openTracked(`${tempDir()}/alice.db`)
    const identity = new IdentityService(db)
    const { publicKey } = await identity.create({ name: 'Alice', passphrase: 'correct horse battery' })
    const receipts = new ReceiptChain(db, publicKey)
    const service = new NegotiationService({ db, identity, receipts, now: clock.now })
    const { negotiation, state } = service.create(validInput(clock, [randomKey()]))
    expect(state.participants[0]).toBe(publicKey)
    identity.lock()
    const before = receipts.size()
    expect(trustErrorOf(() => service.withdraw({ negotiation })).code).toBe('LOCKED')
    expect(receipts.size()).toBe(before)
    identity.close()
  })
})
