import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DOMAIN_ENVELOPE, DOMAIN_RECEIPT } from '../../src-main/core/protocol/domains.js'
import type { SignedEnvelope } from '../../src-main/core/protocol/envelope.js'
import {
  MAX_ENVELOPE_BYTES,
  createEnvelope,
  negotiationIdOf,
  parseEnvelope,
  signingInputFromBytes,
  verifyEnvelopeSignature,
} from '../../src-main/core/protocol/envelope.js'
import { checkEnvelope } from '../../src-main/core/protocol/envelope-check.js'
import type { UnsignedEnvelope } from '../../src-main/core/protocol/envelope-schema.js'
import { canonicalize, canonicalizeStrict } from '../../src-main/core/protocol/jcs.js'
import { signingInput } from '../../src-main/core/protocol/signing.js'
import { clauseHash, termsHash } from '../../src-main/core/protocol/terms.js'
import { DAY, NegotiationBuilder, T0, iso, makeGenesis, parties, party } from '../fixtures/negotiation-builder.js'
import { codeOf } from '../fixtures/trust-error.js'

const [alice, bob, carol] = parties('alice', 'bob', 'carol')
const utf8 = new TextEncoder()

function genesisUnsigned(body: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    v: 1,
    type: 'GENESIS',
    author: alice.publicKey,
    seq: 0,
    lamport: 1,
    refs: [],
    time: iso(T0),
    body: {
      title: 'Damages claim',
      participants: [alice.publicKey, bob.publicKey],
      clauses: [{ id: 'amount', title: 'Amount', text: 'Bob pays Alice $500.' }],
      requiredConsensus: 2,
      deadline: iso(T0 + 30 * DAY),
      ...body,
    },
  }
}

const b = NegotiationBuilder.start({ creator: alice, others: [bob] })
const join = b.join(bob)
const offer = b.offer(alice, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500.' }], { note: 'opening' })

/** Parsed JSON that the edits below reach into freely; the parser under test is what checks it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>

/** The envelope value of a signed message, as a mutable plain object. */
function valueOf(signed: SignedEnvelope): Loose {
  return JSON.parse(new TextDecoder().decode(signed.bytes)) as Loose
}

/** Canonical bytes of an edited value, so the schema (not the canonical check) is what refuses it. */
function encode(value: unknown): Uint8Array {
  return utf8.encode(canonicalize(value))
}

function messageOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('expected an error')
}

describe('createEnvelope', () => {
  it('encodes the whole envelope as JCS and names it by the SHA-256 of those bytes', () => {
    const text = new TextDecoder().decode(offer.bytes)
    expect(text).toBe(canonicalizeStrict(offer.envelope))
    expect(offer.hash).toBe(createHash('sha256').update(offer.bytes).digest('hex'))
    expect(verifyEnvelopeSignature(offer)).toBe(true)
  })

  it('signs UTF-8 of the domain + JCS without sig, checkable by another Ed25519 tool (node:crypto)', () => {
    const { sig, ...unsigned } = offer.envelope
    const message = Buffer.from(DOMAIN_ENVELOPE + canonicalizeStrict(unsigned), 'utf8')
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(alice.publicKey, 'hex')])
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' })
    expect(nodeVerify(null, message, key, Buffer.from(sig, 'hex'))).toBe(true)
  })

  it('gives a negotiation id that is the hash of the GENESIS envelope', () => {
    expect(negotiationIdOf(b.genesis)).toBe(b.genesis.hash)
    expect(b.genesis.envelope).not.toHaveProperty('negotiation')
    expect(codeOf(() => negotiationIdOf(join))).toBe('INVALID_INPUT')
  })

  it('refuses a signer that is not the author', () => {
    const unsigned = { ...valueOf(join), sig: undefined } as Record<string, unknown>
    delete unsigned.sig
    expect(codeOf(() => createEnvelope(carol.signer, unsigned as unknown as UnsignedEnvelope))).toBe('INVALID_INPUT')
  })

  it('refuses an invalid requiredConsensus at creation with a clear error', () => {
    const unsigned = genesisUnsigned({ requiredConsensus: 1 }) as unknown as UnsignedEnvelope
    const err = messageOf(() => createEnvelope(alice.signer, unsigned))
    expect(err).toMatch(/^INVALID_NEGOTIATION: GENESIS: requiredConsensus must be between 2 and 2/)
  })

  it('refuses an unsigned envelope that already carries a sig field', () => {
    const withSig = { ...genesisUnsigned(), sig: 'ab'.repeat(64) } as unknown as UnsignedEnvelope
    expect(messageOf(() => createEnvelope(alice.signer, withSig))).toMatch(/BAD_ENVELOPE: envelope: unexpected field "sig"/)
  })

  it('refuses to make an envelope larger than the wire cap', () => {
    const clauses = Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, title: 'T', text: 'x'.repeat(4000) }))
    const unsigned = genesisUnsigned({ clauses }) as unknown as UnsignedEnvelope
    expect(codeOf(() => createEnvelope(alice.signer, unsigned))).toBe('TOO_LARGE')
  })

  it('keeps no reference to the caller object and freezes what it returns', () => {
    const unsigned = genesisUnsigned()
    const signed = createEnvelope(alice.signer, unsigned as unknown as UnsignedEnvelope)
    ;(unsigned.body as Record<string, unknown>).title = 'changed after signing'
    expect((signed.envelope.body as { title: string }).title).toBe('Damages claim')
    expect(Object.isFrozen(signed.envelope.body)).toBe(true)
    expect(verifyEnvelopeSignature(signed)).toBe(true)
  })
})

describe('parseEnvelope', () => {
  it('round-trips a created envelope to the same value and hash', () => {
    for (const signed of [b.genesis, join, offer]) {
      const parsed = parseEnvelope(signed.bytes)
      expect(parsed.envelope).toEqual(signed.envelope)
      expect(parsed.hash).toBe(signed.hash)
      expect(verifyEnvelopeSignature(parsed)).toBe(true)
    }
  })

  it('copies the input buffer, so reusing it cannot change a parsed message', () => {
    const buffer = new Uint8Array(offer.bytes)
    const parsed = parseEnvelope(buffer)
    buffer.fill(0x20)
    expect(parsed.hash).toBe(offer.hash)
    expect(parsed.bytes).toEqual(offer.bytes)
  })

  it('refuses more than 64 KiB before decoding (TOO_LARGE)', () => {
    const big = new Uint8Array(MAX_ENVELOPE_BYTES + 1).fill(0x20)
    expect(codeOf(() => parseEnvelope(big))).toBe('TOO_LARGE')
  })

  it('refuses invalid UTF-8, duplicate keys and floats (INVALID_ENCODING)', () => {
    const bad = new Uint8Array([...offer.bytes.slice(0, 20), 0xff, ...offer.bytes.slice(21)])
    expect(codeOf(() => parseEnvelope(bad))).toBe('INVALID_ENCODING')
    const text = new TextDecoder().decode(join.bytes)
    expect(codeOf(() => parseEnvelope(utf8.encode(text.replace('{"author"', '{"v":1,"author"'))))).toBe(
      'INVALID_ENCODING',
    )
    expect(codeOf(() => parseEnvelope(utf8.encode(text.replace('"seq":0', '"seq":0.5'))))).toBe('INVALID_ENCODING')
    expect(codeOf(() => parseEnvelope(utf8.encode(text.replace('"seq":0', '"seq":-0'))))).toBe('INVALID_ENCODING')
  })

  it('refuses any encoding but the JCS one (NON_CANONICAL): one message, one byte string, one hash', () => {
    const text = new TextDecoder().decode(offer.bytes)
    const variants = [
      text + '\n',
      ' ' + text,
      text.replace(',', ', '),
      JSON.stringify(valueOf(offer), null, 1),
      // the same value with keys out of order
      JSON.stringify(Object.fromEntries(Object.entries(valueOf(offer)).reverse())),
      // the same string spelled with an escape
      text.replace('"opening"', '"\\u006fpening"'),
    ]
    for (const variant of variants) {
      expect(codeOf(() => parseEnvelope(utf8.encode(variant)))).toBe('NON_CANONICAL')
    }
  })

  it('never throws anything but a TrustError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(codeOf(() => parseEnvelope(bytes))).toMatch(/^[A-Z_]+$/)
      }),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const bytes = utf8.encode(JSON.stringify(value) ?? 'null')
        expect(codeOf(() => parseEnvelope(bytes))).toMatch(/^[A-Z_]+$/)
      }),
      { numRuns: 300 },
    )
    expect(codeOf(() => parseEnvelope('not bytes' as unknown as Uint8Array))).toBe('INVALID_INPUT')
  })
})

describe('envelope schema (BAD_ENVELOPE, with the path at fault)', () => {
  const key = (n: number): string => party(`k${n}`).publicKey
  // A 32-byte string that is not a curve point: y = 2^255 - 1 is not canonical.
  const notAPoint = 'ff'.repeat(31) + '7f'
  type Edit = [name: string, base: SignedEnvelope, edit: (v: Loose) => void, message: RegExp]
  const edits: Edit[] = [
    ['an extra field', join, (v) => (v.extra = 1), /envelope: unexpected field "extra"/],
    ['a missing field', join, (v) => delete v.time, /envelope: missing field "time"/],
    ['v other than 1', join, (v) => (v.v = 2), /v: must be 1/],
    ['an unknown type', join, (v) => (v.type = 'HELLO'), /type: must be one of GENESIS/],
    ['a GENESIS with a negotiation field', b.genesis, (v) => (v.negotiation = b.id), /unexpected field "negotiation"/],
    ['a message without negotiation', join, (v) => delete v.negotiation, /missing field "negotiation"/],
    ['an uppercase negotiation', join, (v) => (v.negotiation = b.id.toUpperCase()), /negotiation: must be 64 lowercase hex/],
    ['an author that is not a point', join, (v) => (v.author = notAPoint), /author: is not a valid Ed25519 public key/],
    ['a short author', join, (v) => (v.author = 'abcd'), /author: must be 64 lowercase hex/],
    ['a negative seq', join, (v) => (v.seq = -1), /seq: must be between 0/],
    ['lamport 0', join, (v) => (v.lamport = 0), /lamport: must be between 1/],
    ['a GENESIS with seq 1', b.genesis, (v) => (v.seq = 1), /seq: must be between 0 and 0/],
    ['a GENESIS with lamport 2', b.genesis, (v) => (v.lamport = 2), /lamport: must be between 1 and 1/],
    ['a GENESIS with refs', b.genesis, (v) => (v.refs = [join.hash]), /refs: must hold at most 0 items/],
    ['a message with no refs', join, (v) => (v.refs = []), /refs: must hold at least 1 item/],
    ['unsorted refs', offer, (v) => (v.refs = [join.hash, b.id].sort().reverse()), /refs\[1\]: refs must be unique and in ascending order/],
    ['duplicate refs', offer, (v) => (v.refs = [b.id, b.id]), /refs\[1\]: refs must be unique/],
    ['65 refs', offer, (v) => (v.refs = Array.from({ length: 65 }, (_, i) => i.toString(16).padStart(64, '0'))), /refs: must hold at most 64/],
    ['a time without milliseconds', join, (v) => (v.time = '2026-01-01T00:00:00Z'), /time: must be YYYY-MM-DDTHH:mm:ss.sssZ/],
    ['a time with an offset', join, (v) => (v.time = '2026-01-01T00:00:00.000+01:00'), /time: must be/],
    ['a date that does not exist', join, (v) => (v.time = '2026-02-30T00:00:00.000Z'), /time: is not a real date/],
    ['hour 24', join, (v) => (v.time = '2026-01-01T24:00:00.000Z'), /time: is not a real date/],
    ['an uppercase sig', join, (v) => (v.sig = v.sig.toUpperCase()), /sig: must be 128 lowercase hex/],
    ['a short sig', join, (v) => (v.sig = v.sig.slice(2)), /sig: must be 128 lowercase hex/],
    ['an extra body field', join, (v) => (v.body.extra = 'x'), /body: unexpected field "extra"/],
    ['a JOIN feed that is not hex-64', join, (v) => (v.body.feed = 'x'), /body.feed: must be 64 lowercase hex/],
    ['an uppercase clause id', offer, (v) => (v.body.changes[0].clause = 'Amount'), /body.changes\[0\].clause: must match/],
    ['a clause id of 65 characters', offer, (v) => (v.body.changes[0].clause = 'a'.repeat(65)), /clause: must match/],
    ['no changes', offer, (v) => (v.body.changes = []), /body.changes: must hold at least 1 item/],
    ['51 changes', offer, (v) => (v.body.changes = Array.from({ length: 51 }, () => v.body.changes[0])), /at most 50/],
    ['a set with neither title nor text', offer, (v) => delete v.body.changes[0].text, /a set change needs title or text/],
    ['an add without text', offer, (v) => (v.body.changes[0] = { op: 'add', clause: 'x', title: 'X' }), /missing field "text"/],
    ['a remove with text', offer, (v) => (v.body.changes[0] = { op: 'remove', clause: 'x', text: 'y' }), /unexpected field "text"/],
    ['an unknown op', offer, (v) => (v.body.changes[0].op = 'rename'), /op: must be one of set, add, remove/],
    ['a note too long', offer, (v) => (v.body.note = 'n'.repeat(1001)), /body.note: must be at most 1000/],
    ['a GENESIS with one participant', b.genesis, (v) => (v.body.participants = [alice.publicKey]), /participants: must hold at least 2/],
    ['a GENESIS with 11 participants', b.genesis, (v) => (v.body.participants = [alice.publicKey, ...Array.from({ length: 10 }, (_, i) => key(i))]), /participants: must hold at most 10/],
    ['a participant that is not a point', b.genesis, (v) => (v.body.participants[1] = notAPoint), /participants\[1\]: is not a valid/],
    ['a GENESIS without clauses', b.genesis, (v) => (v.body.clauses = []), /body.clauses: must hold at least 1/],
    ['an empty clause text', b.genesis, (v) => (v.body.clauses[0].text = ''), /clauses\[0\].text: must not be empty/],
    ['an empty title', b.genesis, (v) => (v.body.title = ''), /body.title: must not be empty/],
    ['a title of 201 characters', b.genesis, (v) => (v.body.title = 't'.repeat(201)), /body.title: must be at most 200/],
    ['appealWindowDays 0', b.genesis, (v) => (v.body.appealWindowDays = 0), /appealWindowDays: must be between 1 and 365/],
    ['appealWindowDays 366', b.genesis, (v) => (v.body.appealWindowDays = 366), /appealWindowDays: must be between 1 and 365/],
    ['arbiters threshold 0', b.genesis, (v) => (v.body.arbiters = { keys: [carol.publicKey], threshold: 0 }), /arbiters.threshold: must be between 1 and 1/],
    ['arbiters threshold above the keys', b.genesis, (v) => (v.body.arbiters = { keys: [carol.publicKey], threshold: 2 }), /arbiters.threshold: must be between 1 and 1/],
    ['no arbiter keys', b.genesis, (v) => (v.body.arbiters = { keys: [], threshold: 1 }), /arbiters.keys: must hold at least 1/],
    ['an outcome that is not upheld or rejected', offer, (v) => { v.type = 'APPEAL_DECISION'; v.body = { dispute: b.id, outcome: 'maybe' } }, /body.outcome: must be one of upheld, rejected/],
    ['an empty settlement', offer, (v) => { v.type = 'RESOLVE'; v.body = { dispute: b.id, settlement: '' } }, /body.settlement: must not be empty/],
    ['a DISPUTE without reason', offer, (v) => { v.type = 'DISPUTE'; v.body = {} }, /body: missing field "reason"/],
    ['a LOCK with a bad textHash', offer, (v) => { v.type = 'LOCK'; v.body = { clause: 'amount', textHash: 'zz' } }, /body.textHash: must be 64 lowercase hex/],
    ['an ACCEPT with an extra field', offer, (v) => { v.type = 'ACCEPT'; v.body = { termsHash: b.id, note: 'x' } }, /body: unexpected field "note"/],
  ]
  for (const [name, base, edit, message] of edits) {
    it(`refuses ${name}`, () => {
      const value = valueOf(base)
      edit(value)
      const err = messageOf(() => parseEnvelope(encode(value)))
      expect(err).toMatch(/^BAD_ENVELOPE: /)
      expect(err).toMatch(message)
    })
  }

  it('accepts the largest allowed values at each bound', () => {
    const value = valueOf(b.genesis)
    value.body.appealWindowDays = 365
    value.body.title = 't'.repeat(200)
    value.body.arbiters = { keys: [carol.publicKey, key(1)], threshold: 2 }
    value.body.clauses[0].id = 'a'.repeat(64)
    const unsigned = { ...value }
    delete unsigned.sig
    const signed = createEnvelope(alice.signer, unsigned as UnsignedEnvelope)
    expect(parseEnvelope(signed.bytes).envelope).toEqual(signed.envelope)
  })
})

describe('GENESIS rules (INVALID_NEGOTIATION at creation and at parse)', () => {
  const n = (count: number): string[] => [alice.publicKey, ...Array.from({ length: count - 1 }, (_, i) => party(`p${i}`).publicKey)]
  const cases: [name: string, body: Record<string, unknown>, message: RegExp][] = [
    ['k = 1 of 2', { requiredConsensus: 1 }, /requiredConsensus must be between 2 and 2 for 2 participants, not 1/],
    ['k = 3 of 2', { requiredConsensus: 3 }, /requiredConsensus must be between 2 and 2/],
    ['k = 1 of 3 (below a majority)', { participants: n(3), requiredConsensus: 1 }, /between 2 and 3/],
    ['k = 2 of 4 (half is not a majority)', { participants: n(4), requiredConsensus: 2 }, /between 3 and 4/],
    ['k = 2 of 5', { participants: n(5), requiredConsensus: 2 }, /between 3 and 5/],
    ['k = 6 of 5', { participants: n(5), requiredConsensus: 6 }, /between 3 and 5/],
    ['a participant twice', { participants: [alice.publicKey, bob.publicKey, bob.publicKey], requiredConsensus: 3 }, /participants must be distinct/],
    ['a creator that is not first', { participants: [bob.publicKey, alice.publicKey] }, /the creator \(author\) must be the first participant/],
    ['a creator who is not a participant', { participants: [bob.publicKey, carol.publicKey] }, /must be the first participant/],
    ['two clauses with one id', { clauses: [{ id: 'a', title: 'A', text: '1' }, { id: 'a', title: 'B', text: '2' }] }, /clause ids must be distinct/],
    ['a deadline at the GENESIS time', { deadline: iso(T0) }, /the deadline must be after the GENESIS time/],
    ['an arbiter who is a participant', { arbiters: { keys: [bob.publicKey], threshold: 1 } }, /an arbiter cannot be a participant/],
    ['an arbiter twice', { arbiters: { keys: [carol.publicKey, carol.publicKey], threshold: 1 } }, /arbiters must be distinct/],
  ]
  for (const [name, body, message] of cases) {
    it(`refuses ${name}`, () => {
      const unsigned = genesisUnsigned(body) as unknown as UnsignedEnvelope
      const atCreation = messageOf(() => createEnvelope(alice.signer, unsigned))
      expect(atCreation).toMatch(/^INVALID_NEGOTIATION: GENESIS: /)
      expect(atCreation).toMatch(message)
      // The same GENESIS signed by hand and received from a peer is refused too.
      const sig = alice.signer.signCanonical(DOMAIN_ENVELOPE, unsigned)
      const atParse = messageOf(() => parseEnvelope(encode({ ...unsigned, sig })))
      expect(atParse).toMatch(/^INVALID_NEGOTIATION: /)
      expect(atParse).toMatch(message)
    })
  }

  it('accepts every k from a strict majority to n', () => {
    for (const size of [2, 3, 4, 5, 10]) {
      for (let k = Math.floor(size / 2) + 1; k <= size; k++) {
        const unsigned = genesisUnsigned({ participants: n(size), requiredConsensus: k }) as unknown as UnsignedEnvelope
        expect(createEnvelope(alice.signer, unsigned).envelope.body).toMatchObject({ requiredConsensus: k })
      }
    }
  })
})

describe('verifyEnvelopeSignature', () => {
  it('fails for a signature by another key, a changed field, or another signing domain', () => {
    const value = valueOf(join)
    const { sig: _sig, ...unsigned } = value
    const byCarol = carol.signer.signCanonical(DOMAIN_ENVELOPE, unsigned)
    expect(verifyEnvelopeSignature(parseEnvelope(encode({ ...unsigned, sig: byCarol })))).toBe(false)
    const changed = parseEnvelope(encode({ ...value, time: iso(T0 + 1) }))
    expect(verifyEnvelopeSignature(changed)).toBe(false)
    // A receipt signature by the right key over the same value is not an envelope signature.
    const receiptSig = bob.signer.signCanonical(DOMAIN_RECEIPT, unsigned)
    expect(verifyEnvelopeSignature(parseEnvelope(encode({ ...unsigned, sig: receiptSig })))).toBe(false)
    expect(verifyEnvelopeSignature(parseEnvelope(join.bytes))).toBe(true)
  })

  it('cuts the signing input from the bytes exactly as JCS of the envelope without sig would be, whatever the text says', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.boolean(), (text, quoteSig) => {
        const nb = NegotiationBuilder.start({ creator: alice, others: [bob] })
        nb.join(bob)
        // Clause text that spells a sig member, even this envelope's own, must not confuse the cut.
        const probe = nb.offer(alice, [{ op: 'set', clause: 'price', text: `x${text}` }])
        const tricky = quoteSig ? `,"sig":"${probe.envelope.sig}"` : `${text},"sig":"`
        const offered = nb.offer(alice, [{ op: 'set', clause: 'price', text: tricky }])
        for (const signed of [probe, offered]) {
          const { sig, ...unsigned } = signed.envelope
          const cut = signingInputFromBytes(signed.bytes, sig)
          expect(cut).not.toBeNull()
          expect(Buffer.from(cut!).equals(Buffer.from(signingInput(DOMAIN_ENVELOPE, canonicalizeStrict(unsigned))))).toBe(true)
          expect(verifyEnvelopeSignature(signed)).toBe(true)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('checkEnvelope parses and verifies in one step', () => {
    expect(checkEnvelope(offer.bytes)).toMatchObject({ hash: offer.hash, sigValid: true })
    const forged = b.forge(bob, carol, 'ACCEPT', { termsHash: b.termsHash })
    expect(forged.sigValid).toBe(false)
  })
})

describe('terms and clause hashes (SHA-256 of JCS, DESIGN section 3)', () => {
  it('hashes a clause as JCS {id, text, title} and the terms as the JCS array', () => {
    const clause = { id: 'amount', title: 'Amount', text: 'Bob pays Alice "$500".' }
    const jcs = `{"id":"amount","text":"Bob pays Alice \\"$500\\".","title":"Amount"}`
    expect(clauseHash(clause)).toBe(createHash('sha256').update(jcs).digest('hex'))
    expect(termsHash([clause, clause])).toBe(createHash('sha256').update(`[${jcs},${jcs}]`).digest('hex'))
  })

  it('the GENESIS terms hash is what a first OFFER must name as base', () => {
    const g = makeGenesis({ creator: alice, others: [bob] })
    const clauses = (g.envelope.body as { clauses: { id: string; title: string; text: string }[] }).clauses
    expect(NegotiationBuilder.start({ creator: alice, others: [bob] }).termsHash).toBe(termsHash(clauses))
  })
})
