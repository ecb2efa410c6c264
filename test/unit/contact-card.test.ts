import { describe, expect, it } from 'vitest'
import {
  CONTACT_PREFIX,
  decodeContactCard,
  encodeContactCard,
  normalizeDisplayName,
} from '../../src-main/core/crypto/contact-card.js'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { createSigner } from '../../src-main/core/crypto/signer.js'
import { DOMAIN_CONTACT, DOMAIN_ENVELOPE } from '../../src-main/core/protocol/domains.js'
import { canonicalBytes } from '../../src-main/core/protocol/jcs.js'
import { signCanonical } from '../../src-main/core/protocol/signing.js'
import { codeOf } from '../fixtures/trust-error.js'

const alice = generateKeyPair()
const aliceKey = bytesToHex(alice.publicKey)
const bob = generateKeyPair()

/** A card built field by field, signed by `secret` over DOMAIN_CONTACT unless `sig` is given. */
function rawCard(fields: { v?: unknown; key?: unknown; name?: unknown; sig?: unknown }, secret = alice.secretKey): string {
  const v = fields.v ?? 1
  const key = fields.key ?? aliceKey
  const name = fields.name ?? 'Alice'
  const sig = fields.sig ?? signCanonical(DOMAIN_CONTACT, { v, key, name }, secret)
  return CONTACT_PREFIX + Buffer.from(canonicalBytes({ v, key, name, sig })).toString('base64url')
}

function payloadOf(card: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(card.slice(CONTACT_PREFIX.length), 'base64url').toString('utf8')) as Record<string, unknown>
}

function withPayload(o: Record<string, unknown>): string {
  return CONTACT_PREFIX + Buffer.from(canonicalBytes(o)).toString('base64url')
}

describe('contact cards: round trip', () => {
  it('encodes with the signer and decodes to the same key and trimmed name', () => {
    const card = encodeContactCard(createSigner(new Uint8Array(alice.secretKey)), '  Alice Liddell ')
    expect(card.startsWith(CONTACT_PREFIX)).toBe(true)
    expect(card.slice(CONTACT_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodeContactCard(card)).toEqual({ publicKey: aliceKey, name: 'Alice Liddell' })
  })

  it('is deterministic (Ed25519 and JCS), so the same key and name give the same card', () => {
    const a = encodeContactCard(createSigner(new Uint8Array(alice.secretKey)), 'Alice')
    const b = encodeContactCard(createSigner(new Uint8Array(alice.secretKey)), 'Alice')
    expect(a).toBe(b)
    expect(a).toBe(rawCard({}))
  })

  it('signs the NFC form of the name and accepts 64 characters of 4-byte UTF-8', () => {
    const signer = createSigner(new Uint8Array(alice.secretKey))
    expect(decodeContactCard(encodeContactCard(signer, 'Zo\u0065\u0301')).name).toBe('Zo\u00e9')
    const long = '\u{1F600}'.repeat(64)
    expect(decodeContactCard(encodeContactCard(signer, long)).name).toBe(long)
  })

  it('refuses a bad name when encoding with INVALID_INPUT', () => {
    const signer = createSigner(new Uint8Array(alice.secretKey))
    for (const name of ['', '   ', 'a'.repeat(65), 'tab\there', 'line\nbreak', 'bidi\u202Eevil', 'lone\ud800']) {
      expect(codeOf(() => encodeContactCard(signer, name)), JSON.stringify(name)).toBe('INVALID_INPUT')
    }
  })
})

describe('contact cards: hostile input is BAD_CONTACT', () => {
  const good = rawCard({})

  it('refuses a flipped byte in the signature', () => {
    const o = payloadOf(good)
    const sig = o.sig as string
    const flipped = (parseInt(sig.slice(0, 2), 16) ^ 0x01).toString(16).padStart(2, '0') + sig.slice(2)
    expect(codeOf(() => decodeContactCard(withPayload({ ...o, sig: flipped })))).toBe('BAD_CONTACT')
  })

  it('refuses a changed name under the old signature', () => {
    const o = payloadOf(good)
    expect(codeOf(() => decodeContactCard(withPayload({ ...o, name: 'Mallory' })))).toBe('BAD_CONTACT')
  })

  it('refuses a card whose key is swapped for another valid key', () => {
    const o = payloadOf(good)
    expect(codeOf(() => decodeContactCard(withPayload({ ...o, key: bytesToHex(bob.publicKey) })))).toBe('BAD_CONTACT')
  })

  it('refuses a signature made in another domain or by another key', () => {
    const envelopeSig = signCanonical(DOMAIN_ENVELOPE, { v: 1, key: aliceKey, name: 'Alice' }, alice.secretKey)
    expect(codeOf(() => decodeContactCard(rawCard({ sig: envelopeSig })))).toBe('BAD_CONTACT')
    expect(codeOf(() => decodeContactCard(rawCard({}, bob.secretKey)))).toBe('BAD_CONTACT')
  })

  it('refuses a wrong prefix', () => {
    const payload = good.slice(CONTACT_PREFIX.length)
    for (const prefix of ['', 'trust:contacts/', 'TRUST:contact/', 'trust:invite/', ' trust:contact/']) {
      expect(codeOf(() => decodeContactCard(prefix + payload)), prefix).toBe('BAD_CONTACT')
    }
  })

  it('refuses bad or non-canonical base64url', () => {
    const payload = good.slice(CONTACT_PREFIX.length)
    const std = Buffer.from(payload, 'base64url').toString('base64') // with + / and = padding
    const cases = [
      CONTACT_PREFIX,
      CONTACT_PREFIX + payload + '=',
      CONTACT_PREFIX + payload + ' ',
      CONTACT_PREFIX + payload.slice(0, 10) + '\n' + payload.slice(10),
      CONTACT_PREFIX + payload + 'A', // a dangling sixth of a byte
      CONTACT_PREFIX + '!!!!',
    ]
    if (std !== payload) cases.push(CONTACT_PREFIX + std)
    for (const card of cases) expect(codeOf(() => decodeContactCard(card)), JSON.stringify(card.slice(-12))).toBe('BAD_CONTACT')
    // Non-zero trailing bits decode to the same bytes in Node: refused because re-encoding differs.
    const short = Buffer.from([0x7b, 0x7d]).toString('base64url') // "e30"
    expect(short).toBe('e30')
    expect(codeOf(() => decodeContactCard(CONTACT_PREFIX + 'e31'))).toBe('BAD_CONTACT')
  })

  it('refuses an oversized card before decoding it', () => {
    expect(codeOf(() => decodeContactCard(good + 'A'.repeat(2100)))).toBe('BAD_CONTACT')
    expect(codeOf(() => decodeContactCard(CONTACT_PREFIX + 'A'.repeat(5_000_000)))).toBe('BAD_CONTACT')
  })

  it('refuses small-order and malformed keys', () => {
    const smallOrder = [
      '0100000000000000000000000000000000000000000000000000000000000000', // the identity point
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // order 2
      '0000000000000000000000000000000000000000000000000000000000000000', // order 4
    ]
    for (const key of smallOrder) {
      expect(codeOf(() => decodeContactCard(rawCard({ key, sig: '00'.repeat(64) }))), key).toBe('BAD_CONTACT')
    }
    expect(codeOf(() => decodeContactCard(rawCard({ key: aliceKey.toUpperCase() })))).toBe('BAD_CONTACT')
    expect(codeOf(() => decodeContactCard(rawCard({ key: aliceKey.slice(2) })))).toBe('BAD_CONTACT')
  })

  it('refuses names that break the rules even when properly signed', () => {
    for (const name of ['', ' Alice', 'Alice ', 'a'.repeat(65), 'Al\u0000ice', 'Al\u0085ice', 'Al\u2028ice', 'Al\u202Eice', 'Zo\u0065\u0301']) {
      expect(codeOf(() => decodeContactCard(rawCard({ name }))), JSON.stringify(name)).toBe('BAD_CONTACT')
    }
    expect(codeOf(() => decodeContactCard(rawCard({ name: 42 })))).toBe('BAD_CONTACT')
  })

  it('refuses wrong fields, versions and non-canonical JSON', () => {
    const o = payloadOf(good)
    const enc = (text: string): string => CONTACT_PREFIX + Buffer.from(text, 'utf8').toString('base64url')
    const cases = [
      withPayload({ ...o, extra: true }),
      withPayload({ v: o.v, key: o.key, name: o.name }),
      rawCard({ v: 2 }),
      rawCard({ v: '1' }),
      withPayload({ ...o, sig: (o.sig as string).toUpperCase() }),
      enc(JSON.stringify({ v: o.v, key: o.key, name: o.name, sig: o.sig })), // key order is not JCS
      enc(JSON.stringify(o, null, 1)), // whitespace
      enc(`{"key":"${String(o.key)}","name":"Alice","name":"Alice","sig":"${String(o.sig)}","v":1}`), // duplicate key
      enc('[1,2,3]'),
      enc('"a string"'),
      CONTACT_PREFIX + Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url'), // not UTF-8
    ]
    for (const card of cases) expect(codeOf(() => decodeContactCard(card))).toBe('BAD_CONTACT')
    expect(decodeContactCard(withPayload(o))).toEqual({ publicKey: aliceKey, name: 'Alice' })
  })

  it('refuses input that is not text', () => {
    for (const value of [null, undefined, 42, {}, ['trust:contact/']]) {
      expect(codeOf(() => decodeContactCard(value))).toBe('BAD_CONTACT')
    }
  })
})

describe('display names', () => {
  it('trims, normalises to NFC and keeps emoji sequences joined with ZWJ', () => {
    expect(normalizeDisplayName('  Ren\u0065\u0301e  ')).toBe('Ren\u00e9e')
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'
    expect(normalizeDisplayName(family)).toBe(family)
  })
})
