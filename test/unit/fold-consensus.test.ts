import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalizeStrict } from '../../src-main/core/protocol/jcs.js'
import { DAY, NegotiationBuilder, T0, essentials, parties, verdictOf } from '../fixtures/negotiation-builder.js'

const [A, B, C] = parties('alice', 'bob', 'carol')
const threeTwo = (): NegotiationBuilder => NegotiationBuilder.negotiating({ creator: A, others: [B, C], requiredConsensus: 2 })

/** Two of three accept and finalize: BINDING. */
function bound(): NegotiationBuilder {
  const b = threeTwo()
  b.accept(A)
  b.accept(B)
  b.finalize(B)
  b.finalize(A)
  expect(b.state().status).toBe('BINDING')
  return b
}

describe('ACCEPT', () => {
  it('counts only for the current terms hash (STALE_TERMS otherwise)', () => {
    const b = threeTwo()
    const old = b.termsHash
    b.offer(C, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $5.' }])
    const stale = b.accept(A, { termsHash: old })
    const s = b.state()
    expect(verdictOf(s, stale)).toBe('STALE_TERMS')
    expect(s.accepts).toEqual([])
  })

  it('k distinct participants -> CONSENSUS_REACHED; one participant twice is not two', () => {
    const b = threeTwo()
    b.accept(A)
    const again = b.accept(A)
    let s = b.state()
    expect(verdictOf(s, again)).toBe('DUPLICATE_ACTION')
    expect(s.status).toBe('NEGOTIATING')
    b.accept(C)
    s = b.state()
    expect(s.status).toBe('CONSENSUS_REACHED')
    expect(s.accepts).toEqual([A.publicKey, C.publicKey].sort())
  })

  it('an accept of terms that an applied offer replaced stops counting', () => {
    const b = threeTwo()
    b.accept(A)
    b.offer(B, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $6.' }])
    b.accept(B)
    const s = b.state()
    expect(s.status).toBe('NEGOTIATING')
    expect(s.accepts).toEqual([B.publicKey])
  })
})

describe('FINALIZE', () => {
  it('is legal only in CONSENSUS_REACHED (WRONG_STATE before)', () => {
    const b = threeTwo()
    b.accept(A)
    const early = b.finalize(A)
    expect(verdictOf(b.state(), early)).toBe('WRONG_STATE')
  })

  it('must name the current terms hash (STALE_TERMS)', () => {
    const b = threeTwo()
    const old = b.termsHash
    b.offer(A, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $7.' }])
    b.accept(A)
    b.accept(B)
    const stale = b.finalize(A, { termsHash: old })
    expect(verdictOf(b.state(), stale)).toBe('STALE_TERMS')
  })

  it('k distinct finalizers -> BINDING; signers sorted; bindingHash = SHA-256 of JCS {negotiation, termsHash, signers}', () => {
    const b = threeTwo()
    b.accept(A)
    b.accept(B)
    b.finalize(B)
    const twice = b.finalize(B)
    expect(verdictOf(b.state(), twice)).toBe('DUPLICATE_ACTION')
    expect(b.state().status).toBe('CONSENSUS_REACHED')
    b.finalize(A)
    const s = b.state()
    const signers = [A.publicKey, B.publicKey].sort()
    expect(s.status).toBe('BINDING')
    expect(s.signers).toEqual(signers)
    const jcs = canonicalizeStrict({ negotiation: b.id, termsHash: s.termsHash, signers })
    expect(jcs.startsWith('{"negotiation":')).toBe(true)
    expect(s.bindingHash).toBe(createHash('sha256').update(jcs).digest('hex'))
  })

  it('a participant who did not accept may still finalize the agreed terms', () => {
    const b = threeTwo()
    b.accept(A)
    b.accept(B)
    b.finalize(C)
    b.finalize(A)
    expect(b.state().signers).toEqual([A.publicKey, C.publicKey].sort())
  })
})

describe('after BINDING the terms are immutable', () => {
  it('OFFER, LOCK, ACCEPT, FINALIZE and WITHDRAW are rejected (IMMUTABLE) and change nothing', () => {
    const b = bound()
    const before = b.state()
    const msgs = [
      b.offer(A, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $1.' }]),
      b.lock(A, 'amount'),
      b.accept(C),
      b.finalize(C),
      b.withdraw(B),
    ]
    const s = b.state()
    for (const m of msgs) expect(verdictOf(s, m)).toBe('IMMUTABLE')
    expect(essentials(s)).toEqual(essentials(before))
  })

  it('a DISPUTE, then a decision, never erase the binding', () => {
    const b = bound()
    const { bindingHash, signers, termsHash } = b.state()
    b.dispute(A, 'not paid')
    b.resolve(A, 'Bob pays by Friday.')
    b.resolve(B, 'Bob pays by Friday.')
    const s = b.state()
    expect(s.status).toBe('RESOLVED')
    expect(s).toMatchObject({ bindingHash, signers, termsHash })
  })
})

describe('deadline', () => {
  const deadline = T0 + 10 * DAY

  it('a pre-binding message whose time is after the deadline is LATE; at the deadline it counts', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B], deadline })
    const onTime = b.accept(A, { time: deadline })
    const late = b.accept(B, { time: deadline + 1 })
    const s = b.state(deadline)
    expect(verdictOf(s, onTime)).toBe('applied')
    expect(verdictOf(s, late)).toBe('LATE')
    expect(s.status).toBe('NEGOTIATING')
  })

  it('a JOIN after the deadline is LATE too (any type before BINDING)', () => {
    const b = NegotiationBuilder.start({ creator: A, others: [B], deadline })
    const late = b.join(B, { time: deadline + 1 })
    expect(verdictOf(b.state(deadline), late)).toBe('LATE')
  })

  it('not BINDING and now after the deadline -> EXPIRED, evaluated at now', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B], deadline })
    expect(b.state(deadline).status).toBe('NEGOTIATING')
    expect(b.state(deadline + 1).status).toBe('EXPIRED')
    const folder = b.folder
    expect(folder.state(deadline + 1).status).toBe('EXPIRED')
    expect(folder.state(deadline).status).toBe('NEGOTIATING')
  })

  it('BINDING and later are never EXPIRED; messages after BINDING are not LATE', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B], deadline })
    b.accept(A)
    b.accept(B)
    b.finalize(A)
    b.finalize(B)
    expect(b.state(deadline + DAY).status).toBe('BINDING')
    const dispute = b.dispute(B, 'late delivery', { time: deadline + DAY })
    const s = b.state(deadline + DAY)
    expect(verdictOf(s, dispute)).toBe('applied')
    expect(s.status).toBe('DISPUTED')
  })

  it('a backdated FINALIZE binds only its own author: BINDING still needs k finalizers', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B], deadline })
    b.accept(A)
    b.accept(B)
    b.finalize(A, { time: deadline - 1 })
    expect(b.state(deadline + 1).status).toBe('EXPIRED')
    expect(b.state(deadline + 1).finalizers).toEqual([A.publicKey])
  })
})
