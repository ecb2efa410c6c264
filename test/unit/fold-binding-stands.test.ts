/**
 * The attacks of issue 9, one by one (DESIGN section 4, "A binding stands on
 * its own causal past"): after Alice and Bob bind on "$750", one of them signs
 * something that would have undone it under the old rule (the version that
 * sorts first wins; every message judged against everything before it in fold
 * order). Each must leave BINDING and its hash standing, reject the fork as
 * EQUIVOCATION and report both versions.
 */
import { describe, expect, it } from 'vitest'
import type { BodyByType, MessageType } from '../../src-main/core/protocol/body-schemas.js'
import type { FoldInput } from '../../src-main/core/protocol/envelope.js'
import { fold } from '../../src-main/core/protocol/fold/fold.js'
import type { NegotiationState } from '../../src-main/core/protocol/fold/state.js'
import { HonestWorld } from '../fixtures/honest-world.js'
import type { Party } from '../fixtures/negotiation-builder.js'
import { MINUTE, feedKeyOf, parties, verdictOf } from '../fixtures/negotiation-builder.js'

const [alice, bob, carol] = parties('alice', 'bob', 'carol')

function offer(w: HonestWorld, p: Party, text: string): FoldInput {
  const terms = w.view(p).termsHash
  return w.send(p, 'OFFER', { base: terms, changes: [{ op: 'set', clause: 'amount', text }] })!
}

/** Both act on their own view, then see each other's messages. */
function both(w: HonestWorld, kind: 'accept' | 'finalize', who: readonly Party[]): FoldInput[] {
  const made = who.map((p) => {
    w.syncAll()
    return w.act(p, kind)!
  })
  w.syncAll()
  return made
}

/** Alice $1000, Bob $500, Alice $750, both accept, both finalize: BINDING on "$750". */
function agreedOn750(): { w: HonestWorld; bobsOffer: FoldInput; state: NegotiationState } {
  const w = HonestWorld.start([alice, bob], { k: 2 })
  w.act(bob, 'join')
  w.syncAll()
  offer(w, alice, 'Bob pays Alice $1000.')
  w.syncAll()
  const bobsOffer = offer(w, bob, 'Bob pays Alice $500.')
  w.syncAll()
  offer(w, alice, 'Bob pays Alice $750.')
  both(w, 'accept', [alice, bob])
  both(w, 'finalize', [alice, bob])
  const state = fold(w.id, w.all, w.clock)
  expect(state.status).toBe('BINDING')
  expect(state.clauses.find((c) => c.id === 'amount')!.text).toBe('Bob pays Alice $750.')
  return { w, bobsOffer, state }
}

/**
 * Signs `make(0)`, `make(1)`, ... (each a millisecond later, say) until one sorts
 * right before `target`: same lamport, lower hash. The attempts that lose are
 * forgotten, so the world holds one new message, not a fork of every attempt.
 */
function grindBefore(w: HonestWorld, target: FoldInput, make: (attempt: number) => FoldInput): FoldInput {
  const known = new Set(w.all.map((m) => m.hash))
  for (let i = 0; i <= 500; i++) {
    const m = make(i)
    if (m.envelope.lamport === target.envelope.lamport && m.hash < target.hash) return m
    // An attempt may be a message the world already has (the original itself, an earlier fork): that one stays.
    if (!known.has(m.hash)) w.forget(m)
  }
  throw new Error('could not grind a message to sort before its target')
}

/** Signs a second version of `original` (same author, seq and refs, so same lamport), ground until it sorts first. */
function forkOf<T extends Exclude<MessageType, 'GENESIS'>>(
  w: HonestWorld,
  p: Party,
  original: FoldInput,
  type: T,
  body: BodyByType[T],
): FoldInput {
  const env = original.envelope
  return grindBefore(w, original, (i) => w.sign(p, { type, seq: env.seq, refs: env.refs, time: Date.parse(env.time) + i, body }))
}

function expectStands(before: NegotiationState, after: NegotiationState): void {
  expect(after.status).toBe('BINDING')
  expect(after.termsHash).toBe(before.termsHash)
  expect(after.signers).toEqual(before.signers)
  expect(after.bindingHash).toBe(before.bindingHash)
}

describe('a binding stands', () => {
  it('Bob forks his earlier OFFER into "$0", ground to sort first: BINDING on "$750" with the same hash, the fork is EQUIVOCATION', () => {
    const { w, bobsOffer, state } = agreedOn750()
    const base = (bobsOffer.envelope.body as { base: string }).base
    const forged = forkOf(w, bob, bobsOffer, 'OFFER', { base, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $0.' }] })
    expect(forged.envelope.lamport).toBe(bobsOffer.envelope.lamport)
    const after = fold(w.id, [...w.all], w.clock)
    expectStands(state, after)
    expect(after.clauses.find((c) => c.id === 'amount')!.text).toBe('Bob pays Alice $750.')
    expect(verdictOf(after, forged)).toBe('EQUIVOCATION')
    expect(verdictOf(after, bobsOffer)).toBe(verdictOf(state, bobsOffer))
    expect(after.equivocators).toEqual([bob.publicKey])
    expect(after.equivocations).toEqual([
      { author: bob.publicKey, seq: bobsOffer.envelope.seq, hashes: [bobsOffer.hash, forged.hash].sort() },
    ])
    // Every honest message keeps its verdict.
    for (const m of w.all) if (m !== forged) expect(verdictOf(after, m)).toBe(verdictOf(state, m))
  })

  it('a fork of any of Bob’s messages, into any action, changes nothing that was bound', () => {
    const { w, state } = agreedOn750()
    const own = w.all.filter((m) => m.envelope.author === bob.publicKey)
    expect(own.map((m) => m.envelope.type)).toEqual(['JOIN', 'OFFER', 'ACCEPT', 'FINALIZE'])
    const bodies: { type: Exclude<MessageType, 'GENESIS'>; body: BodyByType[Exclude<MessageType, 'GENESIS'>] }[] = [
      { type: 'WITHDRAW', body: { reason: 'I take it back' } },
      { type: 'OFFER', body: { base: state.termsHash, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $0.' }] } },
      { type: 'ACCEPT', body: { termsHash: 'e'.repeat(64) } },
      { type: 'JOIN', body: { feed: feedKeyOf(bob) } },
    ]
    for (const original of own) {
      for (const { type, body } of bodies) {
        const forged = forkOf(w, bob, original, type, body)
        const after = fold(w.id, [...w.all], w.clock)
        expectStands(state, after)
        expect(verdictOf(after, forged)).toBe('EQUIVOCATION')
      }
    }
  })

  it('three parties: whoever forks whichever message, the binding and every honest verdict stand', () => {
    const w = HonestWorld.start([alice, bob, carol], { k: 3 })
    w.act(bob, 'join')
    w.act(carol, 'join')
    w.syncAll()
    offer(w, carol, 'Bob pays Alice $600.')
    w.syncAll()
    offer(w, bob, 'Bob pays Alice $750.')
    both(w, 'accept', [alice, bob, carol])
    both(w, 'finalize', [carol, alice, bob])
    const honest = [...w.all]
    const state = fold(w.id, honest, w.clock)
    expect(state.status).toBe('BINDING')
    for (const attacker of [alice, bob, carol]) {
      for (const original of honest.filter((m) => m.envelope.author === attacker.publicKey && m.hash !== w.id)) {
        const forged = forkOf(w, attacker, original, 'WITHDRAW', { reason: 'no' })
        const after = fold(w.id, [...honest, forged], w.clock)
        expectStands(state, after)
        expect(verdictOf(after, forged)).toBe('EQUIVOCATION')
        for (const m of honest) expect(verdictOf(after, m)).toBe(verdictOf(state, m))
      }
    }
  })

  it('a signer’s concurrent WITHDRAW, signed after the fact to sort before the completing FINALIZE, is IMMUTABLE', () => {
    const { w, state } = agreedOn750()
    const alicesFinalize = w.all.find((m) => m.envelope.author === alice.publicKey && m.envelope.type === 'FINALIZE')!
    const bobsFinalize = w.all.find((m) => m.envelope.author === bob.publicKey && m.envelope.type === 'FINALIZE')!
    expect(bobsFinalize.envelope.refs).toContain(alicesFinalize.hash)
    // Alice "had not seen" Bob's FINALIZE: her next message refs only her own, so it ties Bob's lamport.
    const withdraw = grindBefore(w, bobsFinalize, (i) =>
      w.sign(alice, {
        type: 'WITHDRAW',
        seq: alicesFinalize.envelope.seq + 1,
        refs: [alicesFinalize.hash],
        time: Date.parse(alicesFinalize.envelope.time) + 1 + i,
        body: {},
      }),
    )
    expect(withdraw.envelope.lamport).toBe(bobsFinalize.envelope.lamport)
    const after = fold(w.id, [...w.all], w.clock)
    expectStands(state, after)
    expect(verdictOf(after, withdraw)).toBe('IMMUTABLE')
    expect(after.withdrawn).toEqual([])
  })

  it('a non-signer’s concurrent OFFER cannot void the finalizations it sorts before', () => {
    const w = HonestWorld.start([alice, bob, carol], { k: 2 })
    w.act(bob, 'join')
    w.act(carol, 'join')
    w.syncAll()
    offer(w, alice, 'Bob pays Alice $750.')
    both(w, 'accept', [alice, bob])
    const [af] = both(w, 'finalize', [alice])
    const bf = w.act(bob, 'finalize')!
    w.syncAll()
    const state = fold(w.id, w.all, w.clock)
    expect(state.status).toBe('BINDING')
    // Carol, who never finalized, offers $0 on what she "had seen" before Bob's FINALIZE.
    const carolsTip = w.all.filter((m) => m.envelope.author === carol.publicKey).at(-1)!
    const o = grindBefore(w, bf, (i) =>
      w.sign(carol, {
        type: 'OFFER',
        seq: carolsTip.envelope.seq + 1,
        refs: [carolsTip.hash, af!.hash],
        time: Date.parse(af!.envelope.time) + 1 + i,
        body: { base: state.termsHash, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $0.' }] },
      }),
    )
    const after = fold(w.id, [...w.all], w.clock)
    expectStands(state, after)
    expect(verdictOf(after, o)).toBe('IMMUTABLE')
  })

  it('finalizations made at the same time, neither seeing the other, bind; forking the one nobody saw changes nothing', () => {
    const w = HonestWorld.start([alice, bob], { k: 2 })
    w.act(bob, 'join')
    w.syncAll()
    offer(w, alice, 'Bob pays Alice $750.')
    both(w, 'accept', [alice, bob])
    const af = w.act(alice, 'finalize')!
    const bf = w.act(bob, 'finalize')!
    expect(af.envelope.refs).not.toContain(bf.hash)
    expect(bf.envelope.refs).not.toContain(af.hash)
    w.syncAll()
    const state = fold(w.id, w.all, w.clock)
    expect(state.status).toBe('BINDING')
    expect(state.signers).toEqual([alice.publicKey, bob.publicKey].sort())
    for (const [p, f] of [[alice, af], [bob, bf]] as const) {
      const forged = forkOf(w, p, f, 'WITHDRAW', { reason: 'no' })
      const after = fold(w.id, [...w.all.filter((m) => m !== forged), forged], w.clock)
      expectStands(state, fold(w.id, w.all.filter((m) => m.hash !== forged.hash), w.clock))
      expectStands(state, after)
      expect(verdictOf(after, forged)).toBe('EQUIVOCATION')
      expect(verdictOf(after, f)).toBe('applied')
    }
  })

  it('old terms a signer finalized and then left for the binding ones cannot be revived by a latecomer’s FINALIZE', () => {
    const w = HonestWorld.start([alice, bob, carol], { k: 2 })
    w.act(bob, 'join')
    w.act(carol, 'join')
    w.syncAll()
    offer(w, alice, 'Bob pays Alice $1000.')
    both(w, 'accept', [alice, bob])
    const [oldFinalize] = both(w, 'finalize', [alice])
    // Bob offers $750 instead of finalizing: Alice's FINALIZE of $1000 no longer counts.
    const voiding = offer(w, bob, 'Bob pays Alice $750.')
    both(w, 'accept', [alice, bob])
    both(w, 'finalize', [alice, bob])
    const state = fold(w.id, w.all, w.clock)
    expect(state.status).toBe('BINDING')
    expect(state.clauses.find((c) => c.id === 'amount')!.text).toBe('Bob pays Alice $750.')
    // Carol, silent so far, finalizes $1000 on a view that stops at Alice's old FINALIZE.
    const carolsJoin = w.all.find((m) => m.envelope.author === carol.publicKey)!
    const late = w.sign(carol, {
      type: 'FINALIZE',
      seq: carolsJoin.envelope.seq + 1,
      refs: [carolsJoin.hash, oldFinalize!.hash],
      time: Date.parse(oldFinalize!.envelope.time) + MINUTE,
      body: { termsHash: (oldFinalize!.envelope.body as { termsHash: string }).termsHash },
    })
    expect(late.envelope.lamport).toBeLessThanOrEqual(voiding.envelope.lamport)
    const after = fold(w.id, [...w.all], w.clock)
    expectStands(state, after)
    expect(verdictOf(after, late)).toBe('IMMUTABLE')
  })

  it('k < n: a non-signer racing the last FINALIZE of the same terms can change who signed, never what was signed', () => {
    const w = HonestWorld.start([alice, bob, carol], { k: 2 })
    w.act(bob, 'join')
    w.act(carol, 'join')
    w.syncAll()
    offer(w, alice, 'Bob pays Alice $750.')
    both(w, 'accept', [alice, bob, carol])
    const [af] = both(w, 'finalize', [alice])
    const bf = w.act(bob, 'finalize')!
    w.syncAll()
    const state = fold(w.id, w.all, w.clock)
    expect(state.signers).toEqual([alice.publicKey, bob.publicKey].sort())
    const carolsTip = w.all.filter((m) => m.envelope.author === carol.publicKey).at(-1)!
    grindBefore(w, bf, (i) =>
      w.sign(carol, {
        type: 'FINALIZE',
        seq: carolsTip.envelope.seq + 1,
        refs: [carolsTip.hash, af!.hash],
        time: Date.parse(bf.envelope.time) + i,
        body: { termsHash: state.termsHash },
      }),
    )
    const after = fold(w.id, [...w.all], w.clock)
    // Alice+Bob and Alice+Carol are both k finalizations of "$750", each made in
    // view of the other's absence: the earlier-sorting one binds, on the same terms.
    expect(after.status).toBe('BINDING')
    expect(after.termsHash).toBe(state.termsHash)
    expect(after.signers).toEqual([alice.publicKey, carol.publicKey].sort())
    expect(verdictOf(after, bf)).toBe('IMMUTABLE')
    // An honest race: nobody signed two versions of anything.
    expect(after.equivocations).toEqual([])
  })
})
