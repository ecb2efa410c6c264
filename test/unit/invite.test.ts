/** Invite links and topics (DESIGN section 5): one canonical spelling, strict decoding, v2 with seeders, v1 still read. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { decodeInvite, encodeInvite, INVITE_PREFIX, MAX_INVITE_SEEDERS, type Invite } from '../../src-main/core/sync/invite.js'
import { TOPIC_DOMAIN, topicFromSecret } from '../../src-main/core/sync/topic.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex)
/** Real Ed25519 keys: seeder keys must be valid points. */
const KEYS = Array.from({ length: 12 }, () => bytesToHex(generateKeyPair().publicKey)).sort()
const seedersArb = fc.subarray(KEYS, { minLength: 0, maxLength: MAX_INVITE_SEEDERS })
const inviteArb = fc.record({ negotiation: hex32, topicSecret: hex32, creatorFeedKey: hex32, seeders: seedersArb })

const sample: Invite = {
  negotiation: '11'.repeat(32),
  topicSecret: '22'.repeat(32),
  creatorFeedKey: '33'.repeat(32),
}

function payloadOf(invite: string): Buffer {
  return Buffer.from(invite.slice(INVITE_PREFIX.length), 'base64url')
}

function withPayload(bytes: Uint8Array): string {
  return INVITE_PREFIX + Buffer.from(bytes).toString('base64url')
}

function badInvite(text: unknown): void {
  expect(() => decodeInvite(text)).toThrow(expect.objectContaining({ code: 'BAD_INVITE' }))
}

describe('invite encoding (v2)', () => {
  it('round-trips any ids and seeders: 0x02 || id || secret || feed key || n || n seeder keys, ascending', () => {
    fc.assert(
      fc.property(inviteArb, (invite) => {
        const text = encodeInvite(invite)
        const sorted = [...invite.seeders].sort()
        expect(decodeInvite(text)).toEqual({ ...invite, seeders: sorted, encrypted: true })
        const bytes = payloadOf(text)
        expect(bytes.length).toBe(98 + 32 * sorted.length)
        expect(bytes[0]).toBe(2)
        expect(bytesToHex(bytes.subarray(1, 33))).toBe(invite.negotiation)
        expect(bytesToHex(bytes.subarray(33, 65))).toBe(invite.topicSecret)
        expect(bytesToHex(bytes.subarray(65, 97))).toBe(invite.creatorFeedKey)
        expect(bytes[97]).toBe(sorted.length)
        sorted.forEach((key, i) => expect(bytesToHex(bytes.subarray(98 + 32 * i, 130 + 32 * i))).toBe(key))
        expect(text).toMatch(/^trust:join\/[A-Za-z0-9_-]+$/)
      }),
    )
  })

  it('writes the seeders sorted and once, whatever the order given', () => {
    const reversed = encodeInvite({ ...sample, seeders: [KEYS[2]!, KEYS[0]!, KEYS[2]!] })
    expect(reversed).toBe(encodeInvite({ ...sample, seeders: [KEYS[0]!, KEYS[2]!] }))
    expect(decodeInvite(reversed).seeders).toEqual([KEYS[0], KEYS[2]])
  })

  it('refuses a wrong prefix, length, alphabet, padding or version', () => {
    const good = encodeInvite(sample)
    const payload = good.slice(INVITE_PREFIX.length)
    for (const bad of [
      undefined,
      42,
      '',
      'trust:contact/' + payload,
      'TRUST:JOIN/' + payload,
      INVITE_PREFIX,
      good.slice(0, -1),
      good + 'A',
      good + '=',
      INVITE_PREFIX + payload.replace(/[A-Za-z0-9_-]/, '+'),
      INVITE_PREFIX + payload.slice(0, 64) + ' ' + payload.slice(65),
      ' ' + good,
      withPayload(new Uint8Array(96)),
      withPayload(new Uint8Array(99)),
    ]) {
      badInvite(bad)
    }
    const other = payloadOf(good)
    for (const version of [0, 3, 255]) {
      other[0] = version
      badInvite(withPayload(other))
    }
  })

  it('refuses a seeder count that does not match the length, more than 8 seeders, unsorted, repeated or invalid keys', () => {
    const one = payloadOf(encodeInvite({ ...sample, seeders: [KEYS[0]!] }))
    const miscount = Buffer.from(one)
    miscount[97] = 2
    badInvite(withPayload(miscount))
    badInvite(withPayload(one.subarray(0, one.length - 1)))
    badInvite(withPayload(Buffer.concat([one, Buffer.alloc(1)])))

    const nine = Buffer.concat([payloadOf(encodeInvite(sample)).subarray(0, 97), Buffer.from([9]), ...KEYS.slice(0, 9).map((k) => Buffer.from(k, 'hex'))])
    badInvite(withPayload(nine))
    expect(() => encodeInvite({ ...sample, seeders: KEYS.slice(0, 9) })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))

    const two = payloadOf(encodeInvite({ ...sample, seeders: [KEYS[0]!, KEYS[1]!] }))
    const swapped = Buffer.concat([two.subarray(0, 98), two.subarray(130, 162), two.subarray(98, 130)])
    badInvite(withPayload(swapped))
    const repeated = Buffer.concat([two.subarray(0, 98), two.subarray(98, 130), two.subarray(98, 130)])
    badInvite(withPayload(repeated))

    // 32 zero bytes: a small-order point, not a key anyone holds.
    const zero = Buffer.concat([one.subarray(0, 98), Buffer.alloc(32)])
    badInvite(withPayload(zero))
    expect(() => encodeInvite({ ...sample, seeders: ['00'.repeat(32)] })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
  })

  it('refuses a second spelling of the same bytes (non-zero trailing bits)', () => {
    const good = encodeInvite(sample)
    // 98 bytes = 784 bits: the last of 131 characters carries 4 data bits and 2 that must be zero.
    const last = good.at(-1) ?? ''
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const twin = good.slice(0, -1) + alphabet[alphabet.indexOf(last) + 1]
    expect(Buffer.from(twin.slice(INVITE_PREFIX.length), 'base64url').equals(payloadOf(good))).toBe(true)
    badInvite(twin)
  })

  it('refuses to encode fields that are not 32-byte lowercase hex', () => {
    for (const broken of [
      { ...sample, negotiation: 'AB'.repeat(32) },
      { ...sample, topicSecret: '22'.repeat(31) },
      { ...sample, creatorFeedKey: 'zz'.repeat(32) },
    ]) {
      expect(() => encodeInvite(broken)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    }
  })
})

describe('invite encoding (v1, plaintext feeds)', () => {
  it('still decodes a v1 invite (97 bytes) as a negotiation with plaintext feeds and no seeders, and writes it back identically', () => {
    const bytes = Buffer.concat([Buffer.from([1]), Buffer.from(sample.negotiation, 'hex'), Buffer.from(sample.topicSecret, 'hex'), Buffer.from(sample.creatorFeedKey, 'hex')])
    const v1 = withPayload(bytes)
    expect(v1).toMatch(/^trust:join\/[A-Za-z0-9_-]{130}$/)
    expect(decodeInvite(v1)).toEqual({ ...sample, encrypted: false, seeders: [] })
    expect(encodeInvite({ ...sample, encrypted: false })).toBe(v1)
    badInvite(withPayload(Buffer.concat([bytes, Buffer.alloc(1)])))
  })

  it('cannot name seeders: they must never hold plaintext feeds', () => {
    expect(() => encodeInvite({ ...sample, encrypted: false, seeders: [KEYS[0]!] })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
  })
})

describe('topic', () => {
  it('is SHA-256 of the domain and the secret, and differs from the plain hash', () => {
    const secret = new Uint8Array(32).fill(7)
    const expected = createHash('sha256').update(TOPIC_DOMAIN).update(secret).digest('hex')
    expect(bytesToHex(topicFromSecret(secret))).toBe(expected)
    expect(bytesToHex(topicFromSecret(secret))).not.toBe(createHash('sha256').update(secret).digest('hex'))
    expect(TOPIC_DOMAIN).toBe('trust-primitive/v1/topic:')
  })

  it('needs a 32-byte secret', () => {
    expect(() => topicFromSecret(new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
  })
})
