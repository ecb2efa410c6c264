/**
 * What a seeder may hold (DESIGN section 5): keys derived from the topic secret,
 * signed feed claims and their sealed directory entries. Checked against
 * node:crypto directly, so the derivations are the documented bytes.
 */
import { createCipheriv, createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { createSigner } from '../../src-main/core/crypto/signer.js'
import {
  CLAIM_BYTES,
  SEALED_CLAIM_BYTES,
  createClaim,
  decodeClaim,
  encodeClaim,
  openClaim,
  sealClaim,
  verifyClaim,
} from '../../src-main/core/sync/feed-claim.js'
import { directoryKey, feedEncryptionKey, seederGroup } from '../../src-main/core/sync/topic-keys.js'
import { topicFromSecret } from '../../src-main/core/sync/topic.js'

const secret = new Uint8Array(32).map((_, i) => i)
const negotiation = 'ab'.repeat(32)
const feedKey = 'cd'.repeat(32)

const sha = (domain: string): string => createHash('sha256').update(domain, 'utf8').update(secret).digest('hex')

describe('keys from the topic secret', () => {
  it('are SHA-256 of their UTF-8 domain and the 32 secret bytes', () => {
    expect(bytesToHex(feedEncryptionKey(secret))).toBe(sha('trust-primitive/v1/feed-encryption:'))
    expect(bytesToHex(seederGroup(secret))).toBe(sha('trust-primitive/v1/seeder-group:'))
    expect(bytesToHex(directoryKey(secret))).toBe(sha('trust-primitive/v1/seeder-directory:'))
    expect(bytesToHex(feedEncryptionKey(bytesToHex(secret)))).toBe(sha('trust-primitive/v1/feed-encryption:'))
  })

  it('differ from each other and from the swarm topic (which the DHT sees)', () => {
    const all = [feedEncryptionKey(secret), seederGroup(secret), directoryKey(secret), topicFromSecret(secret)].map(bytesToHex)
    expect(new Set(all).size).toBe(4)
  })

  it('need a 32-byte secret', () => {
    expect(() => feedEncryptionKey(new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(() => seederGroup('zz')).toThrow()
  })
})

describe('feed claims', () => {
  const signer = createSigner(generateKeyPair().secretKey)

  it('are identity || feed key || Ed25519 over "trust-primitive/v1/feed-claim:" || negotiation || feed key', () => {
    const claim = createClaim(signer, negotiation, feedKey)
    const bytes = encodeClaim(claim)
    expect(bytes.length).toBe(CLAIM_BYTES)
    expect(bytesToHex(bytes.subarray(0, 32))).toBe(signer.publicKey)
    expect(bytesToHex(bytes.subarray(32, 64))).toBe(feedKey)
    const input = Buffer.concat([Buffer.from('trust-primitive/v1/feed-claim:', 'utf8'), Buffer.from(negotiation, 'hex'), Buffer.from(feedKey, 'hex')])
    expect(bytesToHex(bytes.subarray(64))).toBe(bytesToHex(signer.signBytes(input)))
    expect(decodeClaim(bytes)).toEqual(claim)
    expect(verifyClaim(claim, negotiation)).toBe(true)
  })

  it('do not verify for another negotiation, another feed or a flipped bit', () => {
    const claim = createClaim(signer, negotiation, feedKey)
    expect(verifyClaim(claim, 'ef'.repeat(32))).toBe(false)
    expect(verifyClaim({ ...claim, feedKey: 'ce'.repeat(32) }, negotiation)).toBe(false)
    const sig = Uint8Array.from(claim.signature)
    sig[5]! ^= 1
    expect(verifyClaim({ ...claim, signature: sig }, negotiation)).toBe(false)
    expect(verifyClaim({ ...claim, identity: '00'.repeat(32) }, negotiation)).toBe(false)
    expect(() => decodeClaim(new Uint8Array(127))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }))
  })

  it('seal to nonce || AES-256-GCM(claim) || tag with the group as additional data, the nonce from HMAC-SHA-256 of the claim', () => {
    const claim = createClaim(signer, negotiation, feedKey)
    const key = directoryKey(secret)
    const group = seederGroup(secret)
    const entry = sealClaim(claim, key, group)
    expect(entry.length).toBe(SEALED_CLAIM_BYTES)
    const plain = encodeClaim(claim)
    const nonce = createHmac('sha256', key).update(plain).digest().subarray(0, 12)
    const cipher = createCipheriv('aes-256-gcm', key, nonce)
    cipher.setAAD(group)
    const expected = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()])
    expect(bytesToHex(entry)).toBe(expected.toString('hex'))
    // Deterministic: the seeder keeps one copy however often it is put.
    expect(bytesToHex(sealClaim(claim, key, group))).toBe(bytesToHex(entry))
    expect(openClaim(entry, key, group)).toEqual(claim)
    // The seeder sees no identity or feed key in it.
    expect(Buffer.from(entry).includes(Buffer.from(signer.publicKey, 'hex'))).toBe(false)
    expect(Buffer.from(entry).includes(Buffer.from(feedKey, 'hex'))).toBe(false)
  })

  it('open to null with another key or group, when tampered with, or when not an entry at all', () => {
    const claim = createClaim(signer, negotiation, feedKey)
    const key = directoryKey(secret)
    const group = seederGroup(secret)
    const entry = sealClaim(claim, key, group)
    const otherSecret = new Uint8Array(32).fill(9)
    expect(openClaim(entry, directoryKey(otherSecret), group)).toBeNull()
    expect(openClaim(entry, key, seederGroup(otherSecret))).toBeNull()
    for (const at of [0, 20, SEALED_CLAIM_BYTES - 1]) {
      const bad = Uint8Array.from(entry)
      bad[at]! ^= 0x80
      expect(openClaim(bad, key, group)).toBeNull()
    }
    expect(openClaim(entry.subarray(1), key, group)).toBeNull()
    expect(openClaim(new Uint8Array(SEALED_CLAIM_BYTES), key, group)).toBeNull()
  })
})
