import { describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import { fold } from '../../src-main/core/protocol/fold/fold.js'
import { NegotiationFolder } from '../../src-main/core/protocol/fold/folder.js'
import type { FoldInput } from '../../src-main/core/protocol/envelope.js'
import { NegotiationBuilder, parties, verdictOf } from '../fixtures/negotiation-builder.js'

const [A, B, C] = parties('alice', 'bob', 'carol')

/** A bound negotiation with a concurrent offer, a stale accept and a dispute: varied verdicts. */
function history(): NegotiationBuilder {
  const b = NegotiationBuilder.negotiating({ creator: A, others: [B, C], requiredConsensus: 2 })
  const first = b.offer(A, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500.' }])
  b.offer(B, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $400.' }], { stale: 1, base: first.envelope.body.base })
  b.accept(C, { termsHash: 'a'.repeat(64) })
  b.accept(A)
  b.accept(B)
  b.lock(C, 'amount')
  b.finalize(A)
  b.finalize(B)
  b.dispute(B, 'not paid')
  return b
}

function incrementally(id: string, inputs: readonly FoldInput[]): NegotiationFolder {
  const folder = new NegotiationFolder(id)
  for (const input of inputs) folder.apply(input)
  return folder
}

describe('NegotiationFolder', () => {
  it('gives exactly fold() for in-order, reversed and interleaved arrival', () => {
    const b = history()
    const expected = fold(b.id, b.messages, b.clock)
    expect(expected.status).toBe('DISPUTED')
    const orders = [
      b.messages,
      [...b.messages].reverse(),
      [...b.messages.filter((_, i) => i % 2 === 1), ...b.messages.filter((_, i) => i % 2 === 0)],
    ]
    for (const order of orders) expect(incrementally(b.id, order).state(b.clock)).toEqual(expected)
  })

  it('returns each message’s verdict, and `duplicate` for the same bytes again', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B] })
    const folder = new NegotiationFolder(b.id)
    for (const m of b.messages) expect(folder.apply(m)).toEqual({ status: 'applied' })
    const stale = b.accept(A, { termsHash: 'a'.repeat(64) })
    expect(folder.apply(stale)).toEqual({ status: 'rejected', reason: 'STALE_TERMS' })
    expect(folder.apply(stale)).toEqual({ status: 'duplicate' })
    expect(folder.verdict(stale.hash)).toEqual({ status: 'rejected', reason: 'STALE_TERMS' })
    expect(folder.verdict('0'.repeat(64))).toBeUndefined()
  })

  it('re-folds when a ref an earlier message was missing arrives, so that message now applies', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B] })
    const offer = b.offer(A, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $5.' }])
    const accept = b.accept(B)
    const folder = incrementally(b.id, b.messages.filter((m) => m !== offer))
    expect(folder.verdict(accept.hash)).toEqual({ status: 'rejected', reason: 'MISSING_REF' })
    expect(folder.apply(offer)).toEqual({ status: 'applied' })
    expect(folder.verdict(accept.hash)).toEqual({ status: 'applied' })
    expect(folder.state(b.clock)).toEqual(fold(b.id, b.messages, b.clock))
  })

  it('a ref arriving later with a bogus lamport turns MISSING_REF into BAD_LAMPORT, as fold() says', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B] })
    const next = b.folder.nextFor(B.publicKey)
    const high = b.accept(A, { lamport: next.lamport + 5 })
    const accept = b.accept(B, { refs: [...next.refs, high.hash].sort(), lamport: next.lamport })
    const late = incrementally(b.id, b.messages.filter((m) => m !== high))
    expect(late.verdict(accept.hash)).toEqual({ status: 'rejected', reason: 'MISSING_REF' })
    late.apply(high)
    expect(late.verdict(accept.hash)).toEqual({ status: 'rejected', reason: 'BAD_LAMPORT' })
    expect(late.state(b.clock)).toEqual(fold(b.id, b.messages, b.clock))
  })

  it('holds messages that arrive before their GENESIS, then folds them', () => {
    const b = history()
    const folder = new NegotiationFolder(b.id)
    for (const m of b.messages.slice(1)) expect(folder.apply(m)).toEqual({ status: 'rejected', reason: 'NO_VALID_GENESIS' })
    expect(folder.valid).toBe(false)
    expect(folder.state(b.clock).invalid).toBe('NO_GENESIS')
    expect(() => folder.nextFor(A.publicKey)).toThrow(TrustError)
    expect(folder.apply(b.genesis)).toEqual({ status: 'applied' })
    expect(folder.state(b.clock)).toEqual(fold(b.id, b.messages, b.clock))
  })

  it('cheap accessors agree with the snapshot', () => {
    const b = history()
    const s = b.folder.state(b.clock)
    expect(b.folder.termsHash).toBe(s.termsHash)
    expect(b.folder.foldStatus).toBe(s.status)
    expect(b.folder.heads).toEqual(s.heads)
    expect(b.folder.lastLamport).toBe(s.lastLamport)
    expect(b.folder.size).toBe(b.messages.length)
    expect(verdictOf(s, b.messages[0]!)).toBe('applied')
  })

  it('refuses a malformed negotiation id or time (INVALID_INPUT)', () => {
    expect(() => new NegotiationFolder('ABC')).toThrow(/^INVALID_INPUT/)
    const b = history()
    expect(() => fold(b.id, b.messages, Number.NaN)).toThrow(/^INVALID_INPUT/)
    expect(() => fold(b.id.toUpperCase(), b.messages, 0)).toThrow(/^INVALID_INPUT/)
  })
})
