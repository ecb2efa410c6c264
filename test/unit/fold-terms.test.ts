import { describe, expect, it } from 'vitest'
import { clauseHash, termsHash } from '../../src-main/core/protocol/terms.js'
import { DEFAULT_CLAUSES, NegotiationBuilder, essentials, parties, verdictOf } from '../fixtures/negotiation-builder.js'

const [A, B, C] = parties('alice', 'bob', 'carol')
const [claim, amount, due] = DEFAULT_CLAUSES as [(typeof DEFAULT_CLAUSES)[number], (typeof DEFAULT_CLAUSES)[number], (typeof DEFAULT_CLAUSES)[number]]

const twoParties = (): NegotiationBuilder => NegotiationBuilder.negotiating({ creator: A, others: [B] })

describe('OFFER (DESIGN section 4: terms)', () => {
  it('set keeps the clause in place, add appends, remove drops; the terms hash follows', () => {
    const b = twoParties()
    b.offer(A, [
      { op: 'set', clause: 'amount', title: 'Sum' },
      { op: 'add', clause: 'venue', title: 'Venue', text: 'Small claims court, Springfield.' },
      { op: 'remove', clause: 'claim' },
    ])
    const s = b.state()
    const expected = [{ ...amount, title: 'Sum' }, due, { id: 'venue', title: 'Venue', text: 'Small claims court, Springfield.' }]
    expect(s.clauses).toEqual(expected)
    expect(s.termsHash).toBe(termsHash(expected))
  })

  it('applies only on the current terms hash: an offer on older terms is SUPERSEDED', () => {
    const b = twoParties()
    const genesisTerms = b.termsHash
    b.offer(A, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500.' }])
    const before = b.state()
    const stale = b.offer(B, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $10.' }], { base: genesisTerms })
    const s = b.state()
    expect(verdictOf(s, stale)).toBe('SUPERSEDED')
    expect(essentials(s)).toEqual(essentials(before))
  })

  it('of two concurrent offers on one base, the first in (lamport, hash) order applies, the other is SUPERSEDED', () => {
    const b = twoParties()
    const one = b.offer(A, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500.' }])
    const two = b.offer(B, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $900.' }], { stale: 1, base: one.envelope.body.base })
    expect(two.envelope.lamport).toBe(one.envelope.lamport)
    const [first, second] = one.hash < two.hash ? [one, two] : [two, one]
    const s = b.state()
    expect(verdictOf(s, first)).toBe('applied')
    expect(verdictOf(s, second)).toBe('SUPERSEDED')
    const winning = first === one ? 'Bob pays Alice $500.' : 'Bob pays Alice $900.'
    expect(s.clauses[1]).toEqual({ ...amount, text: winning })
  })

  const wholeRejections: [name: string, changes: Parameters<NegotiationBuilder['offer']>[1], reason: string][] = [
    ['set of an unknown clause', [{ op: 'set', clause: 'amount', text: 'ok' }, { op: 'set', clause: 'nope', text: 'x' }], 'UNKNOWN_CLAUSE'],
    ['remove of a missing clause', [{ op: 'set', clause: 'amount', text: 'ok' }, { op: 'remove', clause: 'nope' }], 'UNKNOWN_CLAUSE'],
    ['add of an existing id', [{ op: 'set', clause: 'amount', text: 'ok' }, { op: 'add', clause: 'claim', title: 'T', text: 'x' }], 'CLAUSE_EXISTS'],
    ['removal of every clause', [{ op: 'remove', clause: 'claim' }, { op: 'remove', clause: 'amount' }, { op: 'remove', clause: 'due' }], 'TERMS_LIMIT'],
    ['no change at all', [{ op: 'set', clause: 'amount', text: amount.text }], 'NO_CHANGE'],
  ]
  for (const [name, changes, reason] of wholeRejections) {
    it(`rejects the whole offer for ${name} (${reason})`, () => {
      const b = twoParties()
      const before = b.state()
      const offer = b.offer(A, changes)
      const s = b.state()
      expect(verdictOf(s, offer)).toBe(reason)
      expect(essentials(s)).toEqual(essentials(before))
      expect(s.clauses).toEqual(DEFAULT_CLAUSES)
    })
  }

  it('rejects an offer that would hold more than 50 clauses (TERMS_LIMIT)', () => {
    const b = twoParties()
    const add = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ op: 'add' as const, clause: `c${from + i}`, title: 'T', text: 'x' }))
    const fill = b.offer(A, add(0, 47))
    expect(verdictOf(b.state(), fill)).toBe('applied')
    expect(b.state().clauses).toHaveLength(50)
    const over = b.offer(A, add(100, 1))
    expect(verdictOf(b.state(), over)).toBe('TERMS_LIMIT')
  })

  it('an OFFER in CONSENSUS_REACHED returns to NEGOTIATING and clears accepts and finalizations', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B, C], requiredConsensus: 2 })
    b.accept(A)
    b.accept(B)
    b.finalize(A)
    expect(b.state()).toMatchObject({ status: 'CONSENSUS_REACHED', finalizers: [A.publicKey] })
    b.offer(C, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $1.' }])
    const s = b.state()
    expect(s).toMatchObject({ status: 'NEGOTIATING', accepts: [], finalizers: [] })
  })
})

describe('LOCK (DESIGN section 4: partial locking)', () => {
  const threeOfFour = (): NegotiationBuilder =>
    NegotiationBuilder.negotiating({ creator: A, others: [B, C, parties('dave')[0]], requiredConsensus: 3 })

  it('a clause is locked once k participants locked its current text, not before', () => {
    const b = threeOfFour()
    b.lock(A, 'amount')
    b.lock(B, 'amount')
    expect(b.state().lockedClauses).toEqual([])
    b.lock(C, 'amount')
    expect(b.state().lockedClauses).toEqual(['amount'])
  })

  it('the same participant locking twice counts once (DUPLICATE_ACTION)', () => {
    const b = threeOfFour()
    b.lock(A, 'amount')
    b.lock(B, 'amount')
    const again = b.lock(B, 'amount')
    const s = b.state()
    expect(verdictOf(s, again)).toBe('DUPLICATE_ACTION')
    expect(s.lockedClauses).toEqual([])
  })

  it('an OFFER that sets or removes a locked clause is rejected as a whole (CLAUSE_LOCKED)', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B] })
    b.lock(A, 'amount')
    b.lock(B, 'amount')
    const before = b.state()
    const set = b.offer(A, [{ op: 'set', clause: 'due', text: 'Tomorrow.' }, { op: 'set', clause: 'amount', text: 'x' }])
    const remove = b.offer(B, [{ op: 'remove', clause: 'amount' }])
    const s = b.state()
    expect(verdictOf(s, set)).toBe('CLAUSE_LOCKED')
    expect(verdictOf(s, remove)).toBe('CLAUSE_LOCKED')
    expect(essentials(s)).toEqual(essentials(before))
    // Other clauses stay open.
    const open = b.offer(A, [{ op: 'set', clause: 'due', text: 'Tomorrow.' }])
    expect(verdictOf(b.state(), open)).toBe('applied')
  })

  it('a LOCK must name the current text of the clause (STALE_TERMS), of a clause that exists (UNKNOWN_CLAUSE)', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B] })
    const oldText = clauseHash(amount)
    b.offer(A, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500.' }])
    const stale = b.lock(B, 'amount', { textHash: oldText })
    const unknown = b.lock(B, 'nope', { textHash: oldText })
    const s = b.state()
    expect(verdictOf(s, stale)).toBe('STALE_TERMS')
    expect(verdictOf(s, unknown)).toBe('UNKNOWN_CLAUSE')
  })

  it('locks for an older text of a clause do not count toward its new text', () => {
    const b = threeOfFour()
    b.lock(A, 'amount')
    b.lock(B, 'amount')
    b.offer(C, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500.' }])
    b.lock(C, 'amount')
    expect(b.state().lockedClauses).toEqual([])
  })

  it('locked clauses are listed in terms order', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B] })
    for (const id of ['due', 'claim']) {
      b.lock(A, id)
      b.lock(B, id)
    }
    expect(b.state().lockedClauses).toEqual([claim.id, due.id])
  })
})
