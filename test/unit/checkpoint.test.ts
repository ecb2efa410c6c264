import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { createSigner } from '../../src-main/core/crypto/signer.js'
import { formatCheckpoint, parseCheckpoint, verifyCheckpoint } from '../../src-main/core/receipts/checkpoint.js'
import { EMPTY_ROOT } from '../../src-main/core/receipts/merkle.js'

const signer = createSigner(generateKeyPair().secretKey)
const other = createSigner(generateKeyPair().secretKey)
const origin = `trust-primitive/receipts/${signer.publicKey}`
const root = new Uint8Array(createHash('sha256').update('some tree').digest())
const note = formatCheckpoint(1234, root, signer)
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

function expectCode(code: string, f: () => unknown): void {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(TrustError)
    expect((err as TrustError).code).toBe(code)
    return
  }
  expect.unreachable(`expected ${code}`)
}

/** The raw Ed25519 key as a node:crypto KeyObject (RFC 8410 SubjectPublicKeyInfo). */
function nodeKey(publicKeyHex: string) {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKeyHex, 'hex')])
  return createPublicKey({ key: spki, format: 'der', type: 'spki' })
}

describe('checkpoint note format (DESIGN section 7, C2SP tlog-checkpoint)', () => {
  it('is exactly the body, a blank line and one em-dash signature line', () => {
    const body = `${origin}\n1234\n${Buffer.from(root).toString('base64')}\n`
    const keyId = createHash('sha256')
      .update(origin)
      .update(Buffer.from([0x0a, 0x01]))
      .update(Buffer.from(signer.publicKey, 'hex'))
      .digest()
      .subarray(0, 4)
    const sig = signer.signBytes(new TextEncoder().encode(body))
    const want = `${body}\n\u2014 ${origin} ${Buffer.concat([keyId, sig]).toString('base64')}\n`
    expect(note).toBe(want)
    expect(note.split('\n')).toHaveLength(6)
  })

  it('verifies with a plain Ed25519 verifier over the body bytes, as C2SP tooling does', () => {
    const body = note.slice(0, note.indexOf('\n\n') + 1)
    const blob = Buffer.from(note.trimEnd().split(' ').at(-1)!, 'base64')
    expect(blob).toHaveLength(68)
    expect(nodeVerify(null, Buffer.from(body, 'utf8'), nodeKey(signer.publicKey), blob.subarray(4))).toBe(true)
    expect(nodeVerify(null, Buffer.from(body.replace('1234', '1235'), 'utf8'), nodeKey(signer.publicKey), blob.subarray(4))).toBe(false)
  })

  it('parses and verifies what it formats, the empty tree included', () => {
    const cp = verifyCheckpoint(note, signer.publicKey)
    expect(cp.size).toBe(1234)
    expect(Buffer.from(cp.root).equals(Buffer.from(root))).toBe(true)
    expect(cp.origin).toBe(origin)
    expect(cp.publicKey).toBe(signer.publicKey)
    const empty = verifyCheckpoint(formatCheckpoint(0, EMPTY_ROOT, signer), signer.publicKey)
    expect(empty.size).toBe(0)
    expect(Buffer.from(empty.root).toString('hex')).toBe(Buffer.from(EMPTY_ROOT).toString('hex'))
  })

  it('refuses a note by another key, a forged signature and a wrong key ID', () => {
    expectCode('BAD_CHECKPOINT', () => verifyCheckpoint(note, other.publicKey))
    const blob = note.trimEnd().split(' ').at(-1)!
    const raw = Buffer.from(blob, 'base64')
    const forged = Buffer.from(raw)
    forged[10]! ^= 1
    expectCode('BAD_SIGNATURE', () => verifyCheckpoint(note.replace(blob, forged.toString('base64')), signer.publicKey))
    const wrongId = Buffer.from(raw)
    wrongId[0]! ^= 1
    expectCode('BAD_CHECKPOINT', () => verifyCheckpoint(note.replace(blob, wrongId.toString('base64')), signer.publicKey))
    // Another key's signature over the same body, under our origin line.
    const theirs = formatCheckpoint(1234, root, other).trimEnd().split(' ').at(-1)!
    expectCode('BAD_CHECKPOINT', () => verifyCheckpoint(note.replace(blob, theirs), signer.publicKey))
    // The same signature on a different body.
    expectCode('BAD_SIGNATURE', () => verifyCheckpoint(note.replace('\n1234\n', '\n1233\n'), signer.publicKey))
  })

  it('refuses every deviation from the exact form with BAD_CHECKPOINT', () => {
    const rootB64 = Buffer.from(root).toString('base64')
    const sigLine = note.slice(note.indexOf('\n\n') + 2)
    // 0xfb bytes encode as '+/v7': a root whose base64 uses both non-alphanumeric characters.
    const slashy = formatCheckpoint(1, new Uint8Array(32).fill(0xfb), signer)
    const slashyB64 = Buffer.alloc(32, 0xfb).toString('base64')
    expect(slashyB64).toMatch(/\+/)
    expect(slashyB64).toMatch(/\//)
    expect(B64.indexOf(rootB64[42]!) % 4).toBe(0)
    parseCheckpoint(slashy)
    const variants: [string, string][] = [
      ['leading zero size', note.replace('\n1234\n', '\n01234\n')],
      ['signed size', note.replace('\n1234\n', '\n+1234\n')],
      ['negative size', note.replace('\n1234\n', '\n-1234\n')],
      ['size beyond 2^53', note.replace('\n1234\n', '\n90071992547409930\n')],
      ['unpadded root', note.replace(rootB64, rootB64.replace(/=+$/, ''))],
      ['url-safe base64', slashy.replace(slashyB64, slashyB64.replace(/\+/g, '-').replace(/\//g, '_'))],
      ['short root', note.replace(rootB64, Buffer.from(root.subarray(1)).toString('base64'))],
      ['non-canonical padding bits', note.replace(rootB64, rootB64.slice(0, 42) + B64[B64.indexOf(rootB64[42]!) | 1] + '=')],
      ['an extension line', note.replace(`${rootB64}\n`, `${rootB64}\nextra\n`)],
      ['no blank line', note.replace('\n\n', '\n')],
      ['CRLF', note.replace(/\n/g, '\r\n')],
      ['hyphen for em dash', note.replace('\u2014', '-')],
      ['two signature lines', note + sigLine],
      ['a cosignature', note + formatCheckpoint(1234, root, other).slice(note.indexOf('\n\n') + 2)],
      ['no final newline', note.slice(0, -1)],
      ['trailing data', note + 'x'],
      ['no signature', note.slice(0, note.indexOf('\n\n') + 2)],
      ['another key name', note.replace(`\u2014 ${origin}`, `\u2014 trust-primitive/receipts/${other.publicKey}`)],
      ['foreign origin', note.replaceAll(origin, 'example.com/log')],
      ['uppercase key', note.replaceAll(origin, origin.toUpperCase())],
      ['too long', note + ' '.repeat(2000)],
      ['empty', ''],
    ]
    for (const [what, text] of variants) {
      expect(text, what).not.toBe(note)
      expectCode('BAD_CHECKPOINT', () => parseCheckpoint(text))
    }
    expectCode('BAD_CHECKPOINT', () => parseCheckpoint(42))
    expectCode('BAD_CHECKPOINT', () => parseCheckpoint(null))
  })

  it('refuses to format a checkpoint of a bad size or root', () => {
    expectCode('INVALID_INPUT', () => formatCheckpoint(-1, root, signer))
    expectCode('INVALID_INPUT', () => formatCheckpoint(1.5, root, signer))
    expectCode('INVALID_INPUT', () => formatCheckpoint(1, root.subarray(1), signer))
  })
})
