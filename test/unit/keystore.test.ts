import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import {
  KDF_FLOOR,
  type KeyBlob,
  encodeKeyBlob,
  openSecret,
  parseKeyBlob,
  sealSecret,
} from '../../src-main/core/crypto/keystore.js'
import { asyncCodeOf as codeOf } from '../fixtures/trust-error.js'

// Every scrypt derivation here runs at the real floor (N=2^17, r=8, p=1), about
// 0.3-0.5 s each; the file keeps to about a dozen of them.

const flipHex = (hex: string, at = 0): string => {
  const nibble = parseInt(hex[at]!, 16) ^ 1
  return hex.slice(0, at) + nibble.toString(16) + hex.slice(at + 1)
}

// "é" typed as e + combining acute (NFD), opened with the precomposed form (NFC).
const PASS_NFD = 'correct horse be\u0301ton'
const PASS_NFC = 'correct horse b\u00e9ton'

describe('keystore: seal and open', () => {
  const secret = new Uint8Array(randomBytes(32))
  const original = bytesToHex(secret)
  let blob: KeyBlob

  beforeAll(async () => {
    blob = await sealSecret(secret, PASS_NFD)
  })

  it('writes a JSON-safe blob with the floor parameters and hex fields of the right sizes', () => {
    expect(Object.keys(blob).sort()).toEqual(['N', 'ciphertext', 'kdf', 'nonce', 'p', 'r', 'salt', 'tag', 'v'])
    expect(blob).toMatchObject({ v: 1, kdf: 'scrypt', N: 2 ** 17, r: 8, p: 1 })
    expect(blob.salt).toMatch(/^[0-9a-f]{64}$/)
    expect(blob.nonce).toMatch(/^[0-9a-f]{24}$/)
    expect(blob.tag).toMatch(/^[0-9a-f]{32}$/)
    expect(blob.ciphertext).toHaveLength(64)
    expect(blob.ciphertext).not.toBe(original)
    expect(JSON.parse(JSON.stringify(blob))).toEqual(blob)
    // the caller still owns the secret: sealing must not wipe or change it
    expect(bytesToHex(secret)).toBe(original)
  })

  it('opens with the same passphrase, NFC-normalised, from the object or its JSON text', async () => {
    expect(bytesToHex(await openSecret(blob, PASS_NFC))).toBe(original)
    expect(bytesToHex(await openSecret(encodeKeyBlob(blob), PASS_NFD))).toBe(original)
  })

  it('refuses a wrong passphrase with BAD_PASSPHRASE', async () => {
    expect(await codeOf(openSecret(blob, 'correct horse baton'))).toBe('BAD_PASSPHRASE')
  })

  it('uses a fresh salt and nonce on every seal', async () => {
    const again = await sealSecret(secret, PASS_NFD)
    expect(again.salt).not.toBe(blob.salt)
    expect(again.nonce).not.toBe(blob.nonce)
    expect(again.ciphertext).not.toBe(blob.ciphertext)
  })

  // Each tampered blob is still well-formed and within bounds, so scrypt runs and
  // the AEAD (with the header as additional data) is what must refuse it.
  const tamperings: Array<[string, (b: KeyBlob) => KeyBlob]> = [
    ['salt', (b) => ({ ...b, salt: flipHex(b.salt, 10) })],
    ['N', (b) => ({ ...b, N: 2 ** 18 })],
    ['r', (b) => ({ ...b, r: 9 })],
    ['p', (b) => ({ ...b, p: 2 })],
    ['nonce', (b) => ({ ...b, nonce: flipHex(b.nonce, 5) })],
    ['tag', (b) => ({ ...b, tag: flipHex(b.tag, 31) })],
    ['ciphertext', (b) => ({ ...b, ciphertext: flipHex(b.ciphertext, 0) })],
  ]
  for (const [field, tamper] of tamperings) {
    it(`fails closed when ${field} is tampered with`, async () => {
      const bad = tamper(blob)
      expect(parseKeyBlob(bad)).toEqual(bad) // well-formed, so the failure is cryptographic
      expect(await codeOf(openSecret(bad, PASS_NFC))).toBe('BAD_PASSPHRASE')
    })
  }

  it('refuses out-of-bounds parameters in a stored blob with BAD_KDF_PARAMS', async () => {
    const cases: Array<Partial<KeyBlob>> = [
      { N: 2 ** 16 }, // downgrade
      { r: 7 },
      { p: 0 },
      { N: 3 * 2 ** 17 }, // not a power of two
      { N: 2 ** 23 }, // denial of service
      { r: 33 },
      { p: 17 },
      { N: 2 ** 20, r: 16 }, // 2 GiB of memory
      { N: 2 ** 17, r: 8, p: 16 }, // 128*N*r*p = 2 GiB
    ]
    for (const change of cases) {
      expect(await codeOf(openSecret({ ...blob, ...change }, PASS_NFC)), JSON.stringify(change)).toBe('BAD_KDF_PARAMS')
    }
    expect(await codeOf(openSecret({ ...blob, kdf: 'pbkdf2' }, PASS_NFC))).toBe('BAD_KDF_PARAMS')
  })

  it('refuses malformed blobs with BAD_BACKUP', async () => {
    const cases: unknown[] = [
      null,
      42,
      [],
      'not json',
      '{"v":1,"v":1}',
      { ...blob, extra: 1 },
      { ...blob, v: 2 },
      { ...blob, N: '131072' },
      { ...blob, r: 8.5 },
      { ...blob, salt: blob.salt.slice(2) },
      { ...blob, salt: blob.salt.toUpperCase() },
      { ...blob, nonce: blob.nonce + '00' },
      { ...blob, tag: blob.tag.slice(2) },
      { ...blob, ciphertext: '' },
      { ...blob, ciphertext: 'abc' },
      { ...blob, ciphertext: '00'.repeat(1025) },
      Object.fromEntries(Object.entries(blob).filter(([k]) => k !== 'tag')),
      'x'.repeat(10_000),
    ]
    for (const value of cases) {
      expect(await codeOf(openSecret(value, PASS_NFC)), JSON.stringify(value)?.slice(0, 60)).toBe('BAD_BACKUP')
    }
  })

  it('refuses a passphrase that is not usable text before deriving', async () => {
    expect(await codeOf(openSecret(blob, ''))).toBe('INVALID_INPUT')
    expect(await codeOf(openSecret(blob, 'x'.repeat(4000)))).toBe('INVALID_INPUT')
    expect(await codeOf(openSecret(blob, 'abc\ud800defgh'))).toBe('INVALID_INPUT')
    expect(await codeOf(openSecret(blob, 12345678 as unknown as string))).toBe('INVALID_INPUT')
  })
})

describe('keystore: sealing policy', () => {
  const secret = new Uint8Array(32).fill(7)

  it('applies the passphrase policy', async () => {
    expect(await codeOf(sealSecret(secret, ''))).toBe('WEAK_PASSPHRASE')
    expect(await codeOf(sealSecret(secret, 'short12'))).toBe('WEAK_PASSPHRASE')
    // 8 UTF-16 units, but "e\u0301" is one character after NFC: 7 characters, refused.
    expect(await codeOf(sealSecret(secret, 'abcdefe\u0301'))).toBe('WEAK_PASSPHRASE')
    expect(await codeOf(sealSecret(secret, 'x'.repeat(1025)))).toBe('INVALID_INPUT')
    expect(await codeOf(sealSecret(secret, 'abcdefgh\udc00'))).toBe('INVALID_INPUT')
    expect(await codeOf(sealSecret(secret, null as unknown as string))).toBe('INVALID_INPUT')
  })

  it('refuses parameters below the floor or beyond the ceiling before any work', async () => {
    expect(await codeOf(sealSecret(secret, 'long enough', { ...KDF_FLOOR, N: 2 ** 14 }))).toBe('BAD_KDF_PARAMS')
    expect(await codeOf(sealSecret(secret, 'long enough', { ...KDF_FLOOR, r: 1 }))).toBe('BAD_KDF_PARAMS')
    expect(await codeOf(sealSecret(secret, 'long enough', { N: 2 ** 22, r: 8, p: 1 }))).toBe('BAD_KDF_PARAMS')
    expect(await codeOf(sealSecret(secret, 'long enough', { N: 2 ** 17, r: 8, p: 1.5 }))).toBe('BAD_KDF_PARAMS')
  })

  it('refuses an empty or oversized secret', async () => {
    expect(await codeOf(sealSecret(new Uint8Array(0), 'long enough'))).toBe('INVALID_INPUT')
    expect(await codeOf(sealSecret(new Uint8Array(1025), 'long enough'))).toBe('INVALID_INPUT')
  })
})
