import { describe, expect, it } from 'vitest'
import { DOMAIN_ENVELOPE } from '../../src-main/core/protocol/domains.js'
import { canonicalBytes } from '../../src-main/core/protocol/jcs.js'
import { sha256Hex } from '../../src-main/core/crypto/hash.js'
import { fold } from '../../src-main/core/protocol/fold/fold.js'
import type { FoldInput } from '../../src-main/core/protocol/envelope.js'
import type { Envelope } from '../../src-main/core/protocol/envelope-schema.js'
import { DAY, NegotiationBuilder, T0, essentials, iso, parties, verdictOf } from '../fixtures/negotiation-builder.js'

const [A, B, C, D, J1, J2] = parties('alice', 'bob', 'carol', 'dave', 'judge1', 'judge2')

describe('GENESIS (DESIGN section 4)', () => {
  it('without its GENESIS a negotiation is invalid: no status, every message rejected', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B] })
    const join = b.messages[1]!
    const s = fold(b.id, [join], T0)
    expect(s.invalid).toBe('NO_GENESIS')
    expect(s.status).toBeUndefined()
    expect(s.rejected).toEqual([{ hash: join.hash, author: B.publicKey, type: 'JOIN', seq: 0, reason: 'NO_VALID_GENESIS' }])
  })

  it('a badly signed GENESIS makes the negotiation invalid', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B] })
    const s = fold(b.id, [{ ...b.genesis, sigValid: false }, ...b.messages.slice(1)], T0)
    expect(s.invalid).toBe('BAD_GENESIS_SIGNATURE')
    expect(verdictOf(s, b.genesis)).toBe('BAD_SIGNATURE')
    expect(s.applied).toEqual([])
  })

  it('a GENESIS that breaks the rules (k below a majority) is invalid even if correctly signed', () => {
    // createEnvelope and parseEnvelope refuse it; a caller handing the fold one anyway gets an invalid negotiation.
    const unsigned = {
      v: 1,
      type: 'GENESIS',
      author: A.publicKey,
      seq: 0,
      lamport: 1,
      refs: [],
      time: iso(T0),
      body: {
        title: 'x',
        participants: [A.publicKey, B.publicKey, C.publicKey],
        clauses: [{ id: 'a', title: 'A', text: 'a' }],
        requiredConsensus: 1,
        deadline: iso(T0 + DAY),
      },
    }
    const envelope = { ...unsigned, sig: A.signer.signCanonical(DOMAIN_ENVELOPE, unsigned) } as unknown as Envelope
    const bytes = canonicalBytes(envelope)
    const genesis: FoldInput = { envelope, bytes, hash: sha256Hex(bytes), sigValid: true }
    const s = fold(genesis.hash, [genesis], T0)
    expect(s.invalid).toBe('BAD_GENESIS')
    expect(s.status).toBeUndefined()
    expect(verdictOf(s, genesis)).toBe('BAD_GENESIS')
  })

  it("the creator's GENESIS counts as its JOIN; a second JOIN by it is a DUPLICATE_ACTION", () => {
    const b = NegotiationBuilder.start({ creator: A, others: [B] })
    const again = b.join(A)
    b.join(B)
    const s = b.state()
    expect(s.status).toBe('NEGOTIATING')
    expect(verdictOf(s, again)).toBe('DUPLICATE_ACTION')
  })
})

describe('JOIN', () => {
  it('INITIATED until every participant joined, then NEGOTIATING', () => {
    const b = NegotiationBuilder.start({ creator: A, others: [B, C], requiredConsensus: 2 })
    b.join(B)
    expect(b.state().status).toBe('INITIATED')
    expect(b.state().joined).toEqual([A.publicKey, B.publicKey].sort())
    b.join(C)
    expect(b.state().status).toBe('NEGOTIATING')
  })

  it('a participant joins once: a second JOIN is rejected and changes nothing', () => {
    const b = NegotiationBuilder.start({ creator: A, others: [B, C], requiredConsensus: 2 })
    b.join(B)
    const before = b.state()
    const again = b.join(B)
    const after = b.state()
    expect(verdictOf(after, again)).toBe('DUPLICATE_ACTION')
    expect(essentials(after)).toEqual(essentials(before))
  })

  it('in INITIATED only JOIN and WITHDRAW are legal', () => {
    const b = NegotiationBuilder.start({ creator: A, others: [B] })
    const offer = b.offer(A, [{ op: 'set', clause: 'amount', text: 'Bob pays $1.' }])
    const lock = b.lock(A, 'amount')
    const accept = b.accept(A)
    const finalize = b.finalize(A)
    const s = b.state()
    for (const m of [offer, lock, accept, finalize]) expect(verdictOf(s, m)).toBe('WRONG_STATE')
    expect(s.status).toBe('INITIATED')
  })

  it('arbiters may JOIN (recorded once) but never count toward n', () => {
    const b = NegotiationBuilder.start({ creator: A, others: [B], arbiters: { parties: [J1, J2], threshold: 1 } })
    b.join(J1)
    const again = b.join(J1)
    let s = b.state()
    expect(s.status).toBe('INITIATED')
    expect(s.arbitersJoined).toEqual([J1.publicKey])
    expect(s.joined).toEqual([A.publicKey])
    expect(verdictOf(s, again)).toBe('DUPLICATE_ACTION')
    b.join(B)
    s = b.state()
    expect(s.status).toBe('NEGOTIATING')
    expect(s.requiredConsensus).toBe(2)
  })

  it('an arbiter is not a participant: its OFFER or ACCEPT is NOT_PARTICIPANT', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B], arbiters: { parties: [J1], threshold: 1 } })
    const offer = b.offer(J1, [{ op: 'set', clause: 'amount', text: 'x' }])
    const accept = b.accept(J1)
    const s = b.state()
    expect(verdictOf(s, offer)).toBe('NOT_PARTICIPANT')
    expect(verdictOf(s, accept)).toBe('NOT_PARTICIPANT')
  })
})

describe('WITHDRAW before BINDING', () => {
  it("the author's accepts stop counting: CONSENSUS_REACHED falls back to NEGOTIATING", () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B, C], requiredConsensus: 2 })
    b.accept(A)
    b.accept(B)
    expect(b.state().status).toBe('CONSENSUS_REACHED')
    b.withdraw(B)
    let s = b.state()
    expect(s.status).toBe('NEGOTIATING')
    expect(s.accepts).toEqual([A.publicKey])
    expect(s.withdrawn).toEqual([B.publicKey])
    b.accept(C)
    s = b.state()
    expect(s.status).toBe('CONSENSUS_REACHED')
  })

  it("the author's finalization stops counting", () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B, C, D], requiredConsensus: 3 })
    for (const p of [A, B, C]) b.accept(p)
    b.finalize(A)
    b.finalize(B)
    b.withdraw(B)
    expect(b.state().finalizers).toEqual([A.publicKey])
    b.accept(D)
    b.finalize(C)
    expect(b.state().status).toBe('CONSENSUS_REACHED')
    b.finalize(D)
    const s = b.state()
    expect(s.status).toBe('BINDING')
    expect(s.signers).toEqual([A, C, D].map((p) => p.publicKey).sort())
  })

  it("the author's locks stop counting: a clause locked by k unlocks", () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B, C], requiredConsensus: 2 })
    b.lock(A, 'amount')
    b.lock(B, 'amount')
    expect(b.state().lockedClauses).toEqual(['amount'])
    b.withdraw(B)
    expect(b.state().lockedClauses).toEqual([])
    const offer = b.offer(A, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $2.' }])
    expect(verdictOf(b.state(), offer)).toBe('applied')
  })

  it('fewer than k remaining participants -> WITHDRAWN, which is final', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B, C], requiredConsensus: 2 })
    b.withdraw(C)
    expect(b.state().status).toBe('NEGOTIATING')
    b.withdraw(B)
    const s = b.state()
    expect(s.status).toBe('WITHDRAWN')
    const offer = b.offer(A, [{ op: 'set', clause: 'amount', text: 'x' }])
    expect(verdictOf(b.state(), offer)).toBe('FINAL')
  })

  it('a withdrawn participant can send nothing more', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B, C], requiredConsensus: 2 })
    b.withdraw(C)
    const before = b.state()
    const msgs = [b.accept(C), b.join(C), b.withdraw(C), b.offer(C, [{ op: 'set', clause: 'amount', text: 'y' }])]
    const s = b.state()
    for (const m of msgs) expect(verdictOf(s, m)).toBe('AUTHOR_WITHDRAWN')
    expect(essentials(s)).toEqual(essentials(before))
  })

  it('a participant who never joined may withdraw in INITIATED; the rest then negotiate', () => {
    const b = NegotiationBuilder.start({ creator: A, others: [B, C], requiredConsensus: 2 })
    b.join(B)
    b.withdraw(C)
    expect(b.state().status).toBe('NEGOTIATING')
  })

  it('a withdrawal leaving fewer than k in INITIATED -> WITHDRAWN', () => {
    const b = NegotiationBuilder.start({ creator: A, others: [B] })
    b.withdraw(B)
    expect(b.state().status).toBe('WITHDRAWN')
  })
})
