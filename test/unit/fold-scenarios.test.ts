import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { canonicalizeStrict } from '../../src-main/core/protocol/jcs.js'
import { termsHash } from '../../src-main/core/protocol/terms.js'
import type { Party } from '../fixtures/negotiation-builder.js'
import { DAY, NegotiationBuilder, iso, parties, verdictOf } from '../fixtures/negotiation-builder.js'

const CLAUSES = [
  { id: 'claim', title: 'Claim', text: 'Alice claims $1000 in damages from Bob for the broken fence.' },
  { id: 'amount', title: 'Amount', text: 'Bob pays Alice $1000.' },
]

const amount = (dollars: number): string => `Bob pays Alice $${dollars}.`

/**
 * Alice claims $1000 from Bob. Alice offers $500, Bob counters $750, Alice
 * agrees at $750; k parties accept and finalize; the terms become BINDING, a
 * later offer is IMMUTABLE, and Alice's dispute opens a 7-day appeal.
 */
function damagesClaim(names: string[], k: number): void {
  const everyone = parties(...names)
  const [alice, bob] = everyone as [Party, Party, ...Party[]]
  const others = everyone.slice(1)
  const b = NegotiationBuilder.start({ creator: alice, others, clauses: CLAUSES, requiredConsensus: k })
  const n = everyone.length
  const signersNeeded = everyone.slice(0, k)

  expect(b.state().status).toBe('INITIATED')
  for (const p of others) b.join(p)
  expect(b.state().status).toBe('NEGOTIATING')
  expect(b.state().joined).toEqual(everyone.map((p) => p.publicKey).sort())

  const offer500 = b.offer(alice, [{ op: 'set', clause: 'amount', text: amount(500) }])
  const counter750 = b.offer(bob, [{ op: 'set', clause: 'amount', text: amount(750) }], { note: 'counter' })
  let s = b.state()
  expect(verdictOf(s, offer500)).toBe('applied')
  expect(verdictOf(s, counter750)).toBe('applied')
  expect(s.clauses.map((c) => c.text)).toEqual([CLAUSES[0]!.text, amount(750)])
  expect(s.termsHash).toBe(termsHash([CLAUSES[0]!, { ...CLAUSES[1]!, text: amount(750) }]))

  // Alice agrees at $750, then the others needed for k.
  for (const [i, p] of signersNeeded.entries()) {
    b.accept(p)
    expect(b.state().status).toBe(i + 1 >= k ? 'CONSENSUS_REACHED' : 'NEGOTIATING')
  }
  for (const [i, p] of signersNeeded.entries()) {
    b.finalize(p)
    expect(b.state().status).toBe(i + 1 >= k ? 'BINDING' : 'CONSENSUS_REACHED')
  }
  s = b.state()
  const signers = signersNeeded.map((p) => p.publicKey).sort()
  expect(s.signers).toEqual(signers)
  const expectedBinding = createHash('sha256')
    .update(canonicalizeStrict({ negotiation: b.id, termsHash: s.termsHash, signers }))
    .digest('hex')
  expect(s.bindingHash).toBe(expectedBinding)

  const late = b.offer(alice, [{ op: 'set', clause: 'amount', text: amount(1000) }])
  s = b.state()
  expect(verdictOf(s, late)).toBe('IMMUTABLE')
  expect(s.clauses.map((c) => c.text)).toContain(amount(750))

  if (n > k) {
    // A participant who did not sign cannot dispute the binding.
    const outsider = everyone[n - 1]!
    const dispute = b.dispute(outsider, 'I never signed')
    expect(verdictOf(b.state(), dispute)).toBe('NOT_SIGNER')
  }
  const dispute = b.dispute(alice, 'Bob has not paid.')
  s = b.state()
  expect(s.status).toBe('DISPUTED')
  expect(s.appeal).toMatchObject({ dispute: dispute.hash, status: 'OPEN', outcome: null })
  expect(s.appeal!.due).toBe(iso(Date.parse(dispute.envelope.time) + 7 * DAY))
  expect(s.bindingHash).toBe(expectedBinding)
}

describe('scenario: a damages claim settled at $750', () => {
  it('two parties, k = 2', () => damagesClaim(['alice', 'bob'], 2))
  it('three parties, k = 2', () => damagesClaim(['alice', 'bob', 'carol'], 2))
  it('five parties, k = 3', () => damagesClaim(['alice', 'bob', 'carol', 'dave', 'erin'], 3))
})
