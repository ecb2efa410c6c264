/**
 * The encrypted secret key at rest (DESIGN section 2): scrypt (RFC 7914) turns the
 * passphrase into a key, AES-256-GCM (NIST SP 800-38D) seals the secret. Both come
 * from node:crypto; scrypt runs on the libuv threadpool so the main process never
 * freezes while deriving.
 *
 * The blob is JSON with lowercase hex byte fields:
 *   {v:1, kdf:'scrypt', N, r, p, salt, nonce, ciphertext, tag}
 * The canonical JSON (RFC 8785) of the header {v, kdf, N, r, p, salt} is the GCM
 * additional data, so a changed parameter or salt fails authentication exactly like
 * a changed nonce, tag or ciphertext: every tampering ends in BAD_PASSPHRASE, never
 * in a wrong key. Parameters are checked against a floor (downgrade) and a ceiling
 * (denial of service) before any scrypt work is done.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto'
import { TrustError } from '../errors.js'
import { canonicalizeStrict, hasLoneSurrogate } from '../protocol/jcs.js'
import { parseJson } from '../protocol/json.js'
import { bytesToHex, hexToBytes, isHex } from './hex.js'

export interface KdfParams {
  N: number
  r: number
  p: number
}

export interface KeyBlob extends KdfParams {
  v: 1
  kdf: 'scrypt'
  salt: string
  nonce: string
  ciphertext: string
  tag: string
}

/** DESIGN section 2: the floor, also the default for new blobs. */
export const KDF_FLOOR: Readonly<KdfParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 })
/** Anything beyond these is a denial of service, not a stronger key. */
export const KDF_CEILING: Readonly<KdfParams> = Object.freeze({ N: 2 ** 22, r: 32, p: 16 })
/** scrypt needs about 128*N*r bytes per lane (RFC 7914 section 6); we bound N*r*p. */
export const KDF_MAX_MEMORY = 1024 ** 3

export const SALT_BYTES = 32
export const NONCE_BYTES = 12
export const TAG_BYTES = 16
export const MAX_SECRET_BYTES = 1024
export const PASSPHRASE_MIN_CHARS = 8
export const PASSPHRASE_MAX_CHARS = 1024

const KEY_BYTES = 32
const BLOB_FIELDS = ['v', 'kdf', 'N', 'r', 'p', 'salt', 'nonce', 'ciphertext', 'tag'] as const

/** Encrypts `secret` under `passphrase`. The caller still owns (and wipes) `secret`. */
export async function sealSecret(secret: Uint8Array, passphrase: string, params: KdfParams = KDF_FLOOR): Promise<KeyBlob> {
  if (!(secret instanceof Uint8Array) || secret.length === 0 || secret.length > MAX_SECRET_BYTES) {
    throw TrustError.invalidInput(`the secret must be 1 to ${MAX_SECRET_BYTES} bytes`)
  }
  checkPassphrasePolicy(passphrase)
  checkKdfParams(params)
  const header = { v: 1 as const, kdf: 'scrypt' as const, N: params.N, r: params.r, p: params.p, salt: bytesToHex(randomBytes(SALT_BYTES)) }
  const nonce = randomBytes(NONCE_BYTES)
  const key = await deriveKey(passphrase, header)
  try {
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
    cipher.setAAD(headerAad(header))
    const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()])
    return { ...header, nonce: bytesToHex(nonce), ciphertext: bytesToHex(ciphertext), tag: bytesToHex(cipher.getAuthTag()) }
  } finally {
    key.fill(0)
  }
}

/**
 * Decrypts a blob (an object or its JSON text). Malformed blob: BAD_BACKUP;
 * parameters out of bounds: BAD_KDF_PARAMS (before any work); wrong passphrase or
 * any tampering: BAD_PASSPHRASE. The caller owns and must wipe the result.
 */
export async function openSecret(blob: unknown, passphrase: string): Promise<Uint8Array> {
  const parsed = parseKeyBlob(blob)
  if (typeof passphrase !== 'string' || passphrase.length === 0 || passphrase.length > PASSPHRASE_MAX_CHARS * 2 || hasLoneSurrogate(passphrase)) {
    throw TrustError.invalidInput('the passphrase must be a non-empty string of at most 1024 characters')
  }
  const key = await deriveKey(passphrase, parsed)
  const plain: Buffer[] = []
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, hexToBytes(parsed.nonce), { authTagLength: TAG_BYTES })
    decipher.setAAD(headerAad(parsed))
    decipher.setAuthTag(hexToBytes(parsed.tag))
    plain.push(decipher.update(hexToBytes(parsed.ciphertext)))
    plain.push(decipher.final()) // throws when the tag does not authenticate
    const out = new Uint8Array(plain.reduce((n, b) => n + b.length, 0))
    let at = 0
    for (const b of plain) {
      out.set(b, at)
      at += b.length
    }
    return out
  } catch (err) {
    if (err instanceof TrustError) throw err
    throw TrustError.badPassphrase()
  } finally {
    key.fill(0)
    for (const b of plain) b.fill(0)
  }
}

/** Validates the shape of a blob (object or JSON text) and its KDF bounds. */
export function parseKeyBlob(value: unknown): KeyBlob {
  if (typeof value === 'string') {
    if (value.length > 8192) throw new TrustError('BAD_BACKUP', 'the key blob is too large')
    try {
      value = parseJson(value)
    } catch {
      throw new TrustError('BAD_BACKUP', 'the key blob is not valid JSON')
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TrustError('BAD_BACKUP', 'the key blob must be a JSON object')
  }
  const o = value as Record<string, unknown>
  const keys = Object.keys(o)
  const extra = keys.find((k) => !(BLOB_FIELDS as readonly string[]).includes(k))
  if (extra !== undefined) throw new TrustError('BAD_BACKUP', `the key blob has an unknown field "${extra}"`)
  const missing = BLOB_FIELDS.find((k) => !Object.hasOwn(o, k))
  if (missing !== undefined) throw new TrustError('BAD_BACKUP', `the key blob lacks the field "${missing}"`)
  if (o.v !== 1) throw new TrustError('BAD_BACKUP', 'the key blob version is not 1')
  if (o.kdf !== 'scrypt') throw new TrustError('BAD_KDF_PARAMS', 'the key blob KDF is not scrypt')
  for (const k of ['N', 'r', 'p'] as const) {
    if (!Number.isSafeInteger(o[k])) throw new TrustError('BAD_BACKUP', `the key blob field ${k} must be an integer`)
  }
  const hexField = (k: 'salt' | 'nonce' | 'tag', bytes: number): void => {
    if (!isHex(o[k], bytes)) throw new TrustError('BAD_BACKUP', `the key blob field ${k} must be ${bytes * 2} lowercase hex characters`)
  }
  hexField('salt', SALT_BYTES)
  hexField('nonce', NONCE_BYTES)
  hexField('tag', TAG_BYTES)
  const ct = o.ciphertext
  if (!isHex(ct) || ct.length === 0 || ct.length > MAX_SECRET_BYTES * 2) {
    throw new TrustError('BAD_BACKUP', `the key blob ciphertext must be 1 to ${MAX_SECRET_BYTES} bytes of lowercase hex`)
  }
  const blob = o as unknown as KeyBlob
  checkKdfParams(blob)
  return { v: 1, kdf: 'scrypt', N: blob.N, r: blob.r, p: blob.p, salt: blob.salt, nonce: blob.nonce, ciphertext: blob.ciphertext, tag: blob.tag }
}

/** The canonical JSON text of a blob, as stored in the identity row and in backups. */
export function encodeKeyBlob(blob: KeyBlob): string {
  return canonicalizeStrict(parseKeyBlob(blob))
}

/** Floor (downgrade) and ceiling (denial of service), DESIGN section 2. */
export function checkKdfParams(params: KdfParams): void {
  const { N, r, p } = params
  for (const [k, v] of [['N', N], ['r', r], ['p', p]] as const) {
    if (!Number.isSafeInteger(v)) throw new TrustError('BAD_KDF_PARAMS', `scrypt ${k} must be an integer`)
  }
  if ((N & (N - 1)) !== 0 || N < 2) throw new TrustError('BAD_KDF_PARAMS', `scrypt N must be a power of two, got ${N}`)
  if (N < KDF_FLOOR.N || r < KDF_FLOOR.r || p < KDF_FLOOR.p) {
    throw new TrustError('BAD_KDF_PARAMS', `scrypt parameters N=${N} r=${r} p=${p} are below the floor N=2^17 r=8 p=1`, { N, r, p })
  }
  if (N > KDF_CEILING.N || r > KDF_CEILING.r || p > KDF_CEILING.p || 128 * N * r * p > KDF_MAX_MEMORY) {
    throw new TrustError('BAD_KDF_PARAMS', `scrypt parameters N=${N} r=${r} p=${p} are beyond what this app accepts`, { N, r, p })
  }
}

/** Passphrase policy for new blobs: 8 to 1024 characters (code points, after NFC). */
export function checkPassphrasePolicy(passphrase: unknown): asserts passphrase is string {
  if (typeof passphrase !== 'string') throw TrustError.invalidInput('the passphrase must be a string')
  if (hasLoneSurrogate(passphrase)) throw TrustError.invalidInput('the passphrase contains an unpaired surrogate')
  const chars = [...passphrase.normalize('NFC')].length
  if (chars > PASSPHRASE_MAX_CHARS) throw TrustError.invalidInput(`the passphrase is longer than ${PASSPHRASE_MAX_CHARS} characters`)
  if (chars < PASSPHRASE_MIN_CHARS) {
    throw new TrustError('WEAK_PASSPHRASE', `the passphrase must have at least ${PASSPHRASE_MIN_CHARS} characters`)
  }
}

function headerAad(h: { v: 1; kdf: 'scrypt'; N: number; r: number; p: number; salt: string }): Buffer {
  return Buffer.from(canonicalizeStrict({ v: h.v, kdf: h.kdf, N: h.N, r: h.r, p: h.p, salt: h.salt }), 'utf8')
}

/**
 * Async scrypt. The passphrase is NFC-normalised so the same words typed on any
 * system give the same key; its byte copy is wiped afterwards.
 */
function deriveKey(passphrase: string, h: KdfParams & { salt: string }): Promise<Buffer> {
  checkKdfParams(h)
  const pass = Buffer.from(passphrase.normalize('NFC'), 'utf8')
  const salt = hexToBytes(h.salt, SALT_BYTES)
  // OpenSSL needs 128*r*(N+p+2) bytes (EVP_PBE_scrypt); a little slack on top.
  const maxmem = 128 * h.r * (h.N + h.p + 2) + 1024 * 1024
  return new Promise((resolve, reject) => {
    scrypt(pass, salt, KEY_BYTES, { N: h.N, r: h.r, p: h.p, maxmem }, (err, key) => {
      pass.fill(0)
      if (err) reject(new TrustError('INTERNAL', `scrypt failed: ${err.message}`))
      else resolve(key)
    })
  })
}
