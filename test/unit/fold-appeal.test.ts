import { describe, expect, it } from 'vitest'
import type { Party } from '../fixtures/negotiation-builder.js'
import { DAY, NegotiationBuilder, essentials, iso, parties, verdictOf } from '../fixtures/negotiation-builder.js'

const [A, B, C, J1, J2, J3] = parties('alice', 'bob', 'carol', 'judge1', 'judge2', 'judge3')

/** Alice and Bob bound (Carol did not sign), three arbiters with threshold 2. */
function bound(appealWindowDays?: number): NegotiationBuilder {
  const b = NegotiationBuilder.negotiating({
    creator: A,
    others: [B, C],
    requiredConsensus: 2,
    arbiters: { parties: [J1, J2, J3], threshold: 2 },
    ...(appealWindowDays === undefined ? {} : { appealWindowDays }),
  })
  for (const p of [A, B]) b.accept(p)
  for (const p of [A, B]) b.finalize(p)
  expect(b.state().status).toBe('BINDING')
  return b
}

function disputed(by: Party = A, appealWindowDays?: number): { b: NegotiationBuilder; due: number } {
  const b = bound(appealWindowDays)
  const d = b.dispute(by, 'Bob has not paid.')
  return { b, due: Date.parse(d.envelope.time) + (appealWindowDays ?? 7) * DAY }
}

describe('DISPUTE', () => {
  it('by a signer in BINDING -> DISPUTED, appeal due appealWindowDays after the dispute time', () => {
    const { b, due } = disputed(B, 3)
    const s = b.state()
    expect(s.status).toBe('DISPUTED')
    expect(s.appeal).toMatchObject({ disputedBy: B.publicKey, due: iso(due), status: 'OPEN', outcome: null })
  })

  it('by a participant who did not sign -> NOT_SIGNER', () => {
    const b = bound()
    const d = b.dispute(C, 'I object')
    expect(verdictOf(b.state(), d)).toBe('NOT_SIGNER')
    expect(b.state().status).toBe('BINDING')
  })

  it('before BINDING, or while a dispute is open -> WRONG_STATE', () => {
    const early = NegotiationBuilder.negotiating({ creator: A, others: [B] })
    const d0 = early.dispute(A, 'too early')
    expect(verdictOf(early.state(), d0)).toBe('WRONG_STATE')
    const { b } = disputed()
    const second = b.dispute(B, 'me too')
    expect(verdictOf(b.state(), second)).toBe('WRONG_STATE')
  })
})

describe('APPEAL_DECISION', () => {
  it('threshold distinct arbiters with the same dispute and outcome -> RESOLVED (DECIDED)', () => {
    const { b } = disputed()
    b.decide(J1, 'upheld', { remedy: 'Bob pays $750 plus costs.' })
    expect(b.state().status).toBe('DISPUTED')
    b.decide(J2, 'upheld')
    const s = b.state()
    expect(s.status).toBe('RESOLVED')
    expect(s.appeal).toMatchObject({ status: 'DECIDED', outcome: 'upheld' })
  })

  it('different outcomes do not add up; one arbiter decides once (DUPLICATE_ACTION)', () => {
    const { b } = disputed()
    b.decide(J1, 'upheld')
    b.decide(J2, 'rejected')
    const again = b.decide(J1, 'rejected')
    let s = b.state()
    expect(verdictOf(s, again)).toBe('DUPLICATE_ACTION')
    expect(s.status).toBe('DISPUTED')
    b.decide(J3, 'rejected')
    s = b.state()
    expect(s.appeal).toMatchObject({ status: 'DECIDED', outcome: 'rejected' })
  })

  it('only arbiters decide (NOT_PARTICIPANT), about the open dispute (WRONG_DISPUTE), by the due time (LATE)', () => {
    const { b, due } = disputed()
    const byParty = b.decide(A, 'upheld')
    const wrong = b.decide(J1, 'upheld', { dispute: b.genesis.hash })
    const late = b.decide(J2, 'upheld', { time: due + 1 })
    const s = b.state(due)
    expect(verdictOf(s, byParty)).toBe('NOT_PARTICIPANT')
    expect(verdictOf(s, wrong)).toBe('WRONG_DISPUTE')
    expect(verdictOf(s, late)).toBe('LATE')
    expect(s.status).toBe('DISPUTED')
  })

  it('a decision at exactly the due time counts', () => {
    const { b, due } = disputed()
    b.decide(J1, 'upheld', { time: due })
    b.decide(J2, 'upheld', { time: due })
    expect(b.state(due).status).toBe('RESOLVED')
  })
})

describe('RESOLVE', () => {
  it('every signer with the same dispute and settlement -> RESOLVED (SETTLED)', () => {
    const { b } = disputed()
    b.resolve(A, 'Bob pays $750 by Friday.')
    expect(b.state().status).toBe('DISPUTED')
    b.resolve(B, 'Bob pays $750 by Friday.')
    const s = b.state()
    expect(s.status).toBe('RESOLVED')
    expect(s.appeal).toMatchObject({ status: 'SETTLED', outcome: 'settled', settlement: 'Bob pays $750 by Friday.' })
  })

  it('different settlements do not settle; a later RESOLVE replaces the author’s earlier one', () => {
    const { b } = disputed()
    b.resolve(A, 'Bob pays $750.')
    b.resolve(B, 'Bob pays $500.')
    expect(b.state().status).toBe('DISPUTED')
    const same = b.resolve(B, 'Bob pays $500.')
    expect(verdictOf(b.state(), same)).toBe('DUPLICATE_ACTION')
    b.resolve(A, 'Bob pays $500.')
    expect(b.state().appeal).toMatchObject({ status: 'SETTLED', settlement: 'Bob pays $500.' })
  })

  it('a non-signer cannot settle (NOT_SIGNER); a resolve after the due time is LATE', () => {
    const { b, due } = disputed()
    const byCarol = b.resolve(C, 'x')
    b.resolve(A, 'y', { time: due })
    const late = b.resolve(B, 'y', { time: due + 1 })
    const s = b.state(due)
    expect(verdictOf(s, byCarol)).toBe('NOT_SIGNER')
    expect(verdictOf(s, late)).toBe('LATE')
    expect(s.status).toBe('DISPUTED')
  })
})

describe('LAPSED and final states', () => {
  it('now past the due time with neither decision nor settlement: appeal LAPSED, state stays DISPUTED', () => {
    const { b, due } = disputed()
    expect(b.state(due).appeal?.status).toBe('OPEN')
    const s = b.state(due + 1)
    expect(s.status).toBe('DISPUTED')
    expect(s.appeal?.status).toBe('LAPSED')
  })

  it('RESOLVED is final: a new dispute is FINAL, an offer IMMUTABLE, and nothing changes', () => {
    const { b } = disputed()
    b.decide(J1, 'rejected')
    b.decide(J2, 'rejected')
    const before = b.state()
    const again = b.dispute(B, 'again')
    const decide = b.decide(J3, 'upheld')
    const offer = b.offer(A, [{ op: 'set', clause: 'amount', text: 'x' }])
    const s = b.state()
    expect(verdictOf(s, again)).toBe('FINAL')
    expect(verdictOf(s, decide)).toBe('FINAL')
    expect(verdictOf(s, offer)).toBe('IMMUTABLE')
    expect(essentials(s)).toEqual(essentials(before))
  })

  it('without arbiters in GENESIS any APPEAL_DECISION is NOT_PARTICIPANT', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B] })
    for (const p of [A, B]) b.accept(p)
    for (const p of [A, B]) b.finalize(p)
    b.dispute(A, 'x')
    const d = b.decide(J1, 'upheld')
    expect(verdictOf(b.state(), d)).toBe('NOT_PARTICIPANT')
  })
})
