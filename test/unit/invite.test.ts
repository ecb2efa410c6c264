/** Invite links and topics (DESIGN section 5): one canonical spelling, strict decoding. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { decodeInvite, encodeInvite, INVITE_PREFIX, type Invite } from '../../src-main/core/sync/invite.js'
import { TOPIC_DOMAIN, topicFromSecret } from '../../src-main/core/sync/topic.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'

const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex)
const inviteArb = fc.record({ negotiation: hex32, topicSecret: hex32, creatorFeedKey: hex32 })

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

describe('invite encoding', () => {
  it('round-trips any ids, and the payload is 0x01 || id || secret || feed key', () => {
    fc.assert(
      fc.property(inviteArb, (invite) => {
        const text = encodeInvite(invite)
        expect(decodeInvite(text)).toEqual(invite)
        const bytes = payloadOf(text)
        expect(bytes.length).toBe(97)
        expect(bytes[0]).toBe(1)
        expect(bytesToHex(bytes.subarray(1, 33))).toBe(invite.negotiation)
        expect(bytesToHex(bytes.subarray(33, 65))).toBe(invite.topicSecret)
        expect(bytesToHex(bytes.subarray(65, 97))).toBe(invite.creatorFeedKey)
        expect(text).toMatch(/^trust:join\/[A-Za-z0-9_-]{130}$/)
      }),
    )
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
      withPayload(new Uint8Array(98)),
    ]) {
      badInvite(bad)
    }
    const v2 = payloadOf(good)
    v2[0] = 2
    badInvite(withPayload(v2))
    v2[0] = 0
    badInvite(withPayload(v2))
  })

  it('refuses a second spelling of the same bytes (non-zero trailing bits)', () => {
    const good = encodeInvite(sample)
    // 97 bytes = 776 bits: the last of 130 characters carries 2 data bits and 4 that must be zero.
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
