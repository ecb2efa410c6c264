/** Envelope-level rules of the fold: signatures, negotiation, authorship, seq, refs, lamport, equivocation. */
import { describe, expect, it } from 'vitest'
import { fold } from '../../src-main/core/protocol/fold/fold.js'
import { nextFor } from '../../src-main/core/protocol/fold/next-message.js'
import { NegotiationBuilder, essentials, feedKeyOf, parties, verdictOf, withoutRejections } from '../fixtures/negotiation-builder.js'

const [A, B, C, X] = parties('alice', 'bob', 'carol', 'mallory')
const pair = (): NegotiationBuilder => NegotiationBuilder.negotiating({ creator: A, others: [B] })

describe('fold: envelope-level rejections change nothing but the rejection list', () => {
  it('a bad signature (an envelope claiming Bob, signed by Mallory) -> BAD_SIGNATURE', () => {
    const b = pair()
    const before = b.state()
    const forged = b.forge(B, X, 'ACCEPT', { termsHash: b.termsHash })
    const s = b.state()
    expect(verdictOf(s, forged)).toBe('BAD_SIGNATURE')
    expect(withoutRejections(s)).toEqual(withoutRejections(before))
  })

  it('a message of another negotiation, or a second GENESIS -> WRONG_NEGOTIATION', () => {
    const b = pair()
    const other = NegotiationBuilder.start({ creator: A, others: [B], title: 'Another matter' })
    const join = other.join(B)
    const s = fold(b.id, [...b.messages, join, other.genesis], b.clock)
    expect(verdictOf(s, join)).toBe('WRONG_NEGOTIATION')
    expect(verdictOf(s, other.genesis)).toBe('WRONG_NEGOTIATION')
    expect(withoutRejections(s)).toEqual(withoutRejections(b.state()))
  })

  it('a key that is not a participant -> NOT_PARTICIPANT, even for JOIN', () => {
    const b = pair()
    const before = b.state()
    const join = b.join(X)
    const offer = b.offer(X, [{ op: 'set', clause: 'amount', text: 'all of it' }])
    const s = b.state()
    expect(verdictOf(s, join)).toBe('NOT_PARTICIPANT')
    expect(verdictOf(s, offer)).toBe('NOT_PARTICIPANT')
    expect(withoutRejections(s)).toEqual(withoutRejections(before))
  })

  it('a seq that skips one, or refs without the author’s previous message -> BAD_SEQ', () => {
    const b = pair()
    const next = b.folder.nextFor(B.publicKey)
    const gap = b.accept(B, { seq: next.seq + 1 })
    const noPrevious = b.accept(B, { refs: [b.genesis.hash], lamport: b.genesis.envelope.lamport + 1 })
    const s = b.state()
    expect(verdictOf(s, gap)).toBe('BAD_SEQ')
    expect(verdictOf(s, noPrevious)).toBe('BAD_SEQ')
    expect(s.accepts).toEqual([])
  })

  it('a ref that is absent, badly signed, or of another negotiation -> MISSING_REF', () => {
    const b = pair()
    const other = NegotiationBuilder.start({ creator: A, others: [B], title: 'Another matter' })
    const forged = b.forge(A, X, 'ACCEPT', { termsHash: b.termsHash })
    const tip = b.folder.nextFor(B.publicKey).refs
    const absent = b.accept(B, { refs: [...tip, 'f'.repeat(64)].sort() })
    const badlySigned = b.accept(B, { refs: [...tip, forged.hash].sort() })
    const foreign = b.accept(B, { refs: [...tip, other.genesis.hash].sort() })
    const s = fold(b.id, [...b.messages, other.genesis], b.clock)
    for (const m of [absent, badlySigned, foreign]) expect(verdictOf(s, m)).toBe('MISSING_REF')
  })

  it('a ref to a correctly signed message counts whatever the fold’s verdict on it', () => {
    const b = pair()
    const outsider = b.join(X) // NOT_PARTICIPANT, but signed and of this negotiation
    const superseded = b.offer(A, [{ op: 'set', clause: 'amount', text: 'x' }], { base: 'e'.repeat(64) })
    const refs = [...b.folder.nextFor(B.publicKey).refs, outsider.hash, superseded.hash]
    const accept = b.accept(B, { refs: [...new Set(refs)].sort() })
    const s = b.state()
    expect(verdictOf(s, superseded)).toBe('SUPERSEDED')
    expect(verdictOf(s, accept)).toBe('applied')
  })

  it('a lamport above 1 + the highest ref lamport (inflation) -> BAD_LAMPORT, so followers are never stranded', () => {
    const b = pair()
    const next = b.folder.nextFor(B.publicKey)
    const inflated = b.accept(B, { lamport: 2 ** 53 - 1 })
    const plusOne = b.accept(B, { lamport: next.lamport + 1 })
    const s = b.state()
    expect(verdictOf(s, inflated)).toBe('BAD_LAMPORT')
    expect(verdictOf(s, plusOne)).toBe('BAD_LAMPORT')
    expect(s.accepts).toEqual([])
  })

  it('a lamport not above every ref’s lamport -> BAD_LAMPORT', () => {
    const b = pair()
    const next = b.folder.nextFor(B.publicKey)
    const low = b.accept(B, { lamport: next.lamport - 1 })
    expect(verdictOf(b.state(), low)).toBe('BAD_LAMPORT')
  })

  it('two different envelopes with one (author, seq): the later in fold order is EQUIVOCATION, the author is marked', () => {
    const b = pair()
    const next = b.folder.nextFor(B.publicKey)
    const one = b.accept(B, { seq: next.seq, lamport: next.lamport, refs: next.refs })
    const two = b.offer(B, [{ op: 'set', clause: 'amount', text: 'y' }], { seq: next.seq, lamport: next.lamport, refs: next.refs, base: b.folder.terms!.hash })
    const [first, second] = one.hash < two.hash ? [one, two] : [two, one]
    const s = b.state()
    expect(verdictOf(s, first)).toBe('applied')
    expect(verdictOf(s, second)).toBe('EQUIVOCATION')
    expect(s.equivocators).toEqual([B.publicKey])
  })

  it('exact duplicates are ignored silently', () => {
    const b = pair()
    b.accept(A)
    const s = fold(b.id, [...b.messages, ...b.messages, b.messages[1]!], b.clock)
    expect(s).toEqual(b.state())
    expect(s.rejected).toEqual([])
    expect(s.applied).toHaveLength(b.messages.length)
  })
})

describe('fold: feeds', () => {
  it('a message rejected by the state rules keeps its seq: the author’s next message follows it', () => {
    const b = pair()
    const superseded = b.offer(B, [{ op: 'set', clause: 'amount', text: 'x' }], { base: 'e'.repeat(64) })
    const accept = b.accept(B)
    const s = b.state()
    expect(verdictOf(s, superseded)).toBe('SUPERSEDED')
    expect(accept.envelope.seq).toBe(superseded.envelope.seq + 1)
    expect(verdictOf(s, accept)).toBe('applied')
  })

  it('a message rejected at the envelope level takes no seq: a fresh one at that seq is not equivocation', () => {
    const b = pair()
    const next = b.folder.nextFor(B.publicKey)
    const bad = b.accept(B, { lamport: 1 })
    const good = b.accept(B)
    const s = b.state()
    expect(verdictOf(s, bad)).toBe('BAD_LAMPORT')
    expect(good.envelope.seq).toBe(next.seq)
    expect(verdictOf(s, good)).toBe('applied')
    expect(s.equivocators).toEqual([])
  })

  it('heads are the feed entries nobody refers to; nextFor gives seq, lamport and refs that apply', () => {
    const b = NegotiationBuilder.negotiating({ creator: A, others: [B, C], requiredConsensus: 2 })
    const a = b.accept(A)
    const c = b.accept(C, { stale: 1 }) // concurrent with Alice's accept
    const s = b.state()
    expect(s.heads).toEqual([a.hash, c.hash].sort())
    expect(s.lastLamport).toBe(Math.max(a.envelope.lamport, c.envelope.lamport))
    const next = nextFor(s, B.publicKey)
    expect(next).toEqual(b.folder.nextFor(B.publicKey))
    expect(next.seq).toBe(1)
    expect(next.refs).toEqual([...new Set([...s.heads, s.feeds[B.publicKey]!.tip])].sort())
    const join = b.send(B, 'JOIN', { feed: feedKeyOf(B) }, next)
    expect(verdictOf(b.state(), join)).toBe('DUPLICATE_ACTION')
    expect(b.state().heads).toEqual([join.hash])
    expect(essentials(b.state())).toEqual(essentials(s))
  })
})
