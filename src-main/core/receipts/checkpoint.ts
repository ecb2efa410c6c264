/**
 * Receipt checkpoints as C2SP tlog-checkpoint signed notes (DESIGN section 7),
 * byte for byte:
 *
 *   <origin>\n<size>\n<base64 root>\n
 *   \n
 *   — <origin> <base64(keyID || signature)>\n
 *
 * keyID = SHA-256(origin || 0x0A || 0x01 || public key)[0:4] (C2SP signed-note,
 * Ed25519 signature type 0x01); the signature is Ed25519 over the body text,
 * final newline included, so any C2SP tool or plain Ed25519 verifier can check it.
 *
 * Parsing is strict: exactly the three body lines (no extension lines), a
 * decimal size without leading zeros, a 32-byte root in padded standard
 * base64, and exactly one signature line, by the origin's own key. A receipt
 * checkpoint is its owner's statement; refusing cosignatures gives every
 * checkpoint one exact text, so two notes say the same thing iff they are equal.
 */
import { TrustError } from '../errors.js'
import { sha256 } from '../crypto/hash.js'
import { bytesToHex, hexToBytes } from '../crypto/hex.js'
import { SIGNATURE_BYTES, verify } from '../crypto/ed25519.js'
import type { Signer } from '../crypto/signer.js'
import { checkpointOrigin } from '../protocol/domains.js'
import { HASH_BYTES } from './merkle.js'

export interface Checkpoint {
  origin: string
  /** The key the origin names, 64 lowercase hex. */
  publicKey: string
  size: number
  root: Uint8Array
  /** The signed text: the three body lines, each ending in \n. */
  body: string
  keyId: Uint8Array
  signature: Uint8Array
}

const EM_DASH = '\u2014'
const MAX_NOTE_CHARS = 1024
const ORIGIN_RE = /^trust-primitive\/receipts\/([0-9a-f]{64})$/
const SIZE_RE = /^(?:0|[1-9][0-9]{0,15})$/
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const utf8 = new TextEncoder()

/** The body: `<origin>\n<size>\n<base64 root>\n`. */
export function checkpointBody(origin: string, size: number, root: Uint8Array): string {
  return `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`
}

/** C2SP signed-note key ID: SHA-256(name || 0x0A || 0x01 || key)[0:4]. */
export function checkpointKeyId(origin: string, publicKey: Uint8Array): Uint8Array {
  const name = utf8.encode(origin)
  const input = new Uint8Array(name.length + 2 + publicKey.length)
  input.set(name, 0)
  input[name.length] = 0x0a
  input[name.length + 1] = 0x01
  input.set(publicKey, name.length + 2)
  return sha256(input).subarray(0, 4)
}

/** Signs a checkpoint of (size, root) with the signer's key; origin from its public key. */
export function formatCheckpoint(size: number, root: Uint8Array, signer: Signer): string {
  if (!Number.isSafeInteger(size) || size < 0) throw TrustError.invalidInput('checkpoint size must be a non-negative safe integer')
  if (!(root instanceof Uint8Array) || root.length !== HASH_BYTES) throw TrustError.invalidInput('checkpoint root must be 32 bytes')
  const origin = checkpointOrigin(signer.publicKey)
  const body = checkpointBody(origin, size, root)
  const signature = signer.signBytes(utf8.encode(body))
  const keyId = checkpointKeyId(origin, hexToBytes(signer.publicKey, 32))
  const blob = Buffer.concat([keyId, signature]).toString('base64')
  return `${body}\n${EM_DASH} ${origin} ${blob}\n`
}

/** Strict parse of a note; checks form only (see verifyCheckpoint). Throws BAD_CHECKPOINT. */
export function parseCheckpoint(text: unknown): Checkpoint {
  if (typeof text !== 'string') throw bad('a checkpoint must be text')
  if (text.length > MAX_NOTE_CHARS) throw bad(`a checkpoint is at most ${MAX_NOTE_CHARS} characters`)
  const split = text.indexOf('\n\n')
  if (split < 0) throw bad('no blank line between the body and the signature')
  const body = text.slice(0, split + 1)
  const lines = body.slice(0, -1).split('\n')
  if (lines.length !== 3) throw bad('the body must be exactly three lines: origin, size, root')
  const [origin, sizeText, rootText] = lines as [string, string, string]
  const key = ORIGIN_RE.exec(origin)
  if (key === null) throw bad('the origin must be trust-primitive/receipts/<64 hex public key>')
  if (!SIZE_RE.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw bad('the size must be a decimal integer without leading zeros')
  const root = decodeBase64(rootText, HASH_BYTES, 'the root')

  const sigLines = text.slice(split + 2)
  const prefix = `${EM_DASH} ${origin} `
  if (!sigLines.startsWith(prefix) || !sigLines.endsWith('\n') || sigLines.indexOf('\n') !== sigLines.length - 1) {
    throw bad('expected exactly one signature line "— <origin> <base64>" by the origin key')
  }
  const blob = decodeBase64(sigLines.slice(prefix.length, -1), 4 + SIGNATURE_BYTES, 'the signature')
  return {
    origin,
    publicKey: key[1]!,
    size: Number(sizeText),
    root,
    body,
    keyId: blob.subarray(0, 4),
    signature: blob.subarray(4),
  }
}

/**
 * Parses and verifies a note as signed by `publicKeyHex`: its origin must be that
 * key's, the key ID must match, and the Ed25519 signature over the body must hold
 * (strict RFC 8032). Throws BAD_CHECKPOINT, or BAD_SIGNATURE for a bad signature.
 */
export function verifyCheckpoint(text: unknown, publicKeyHex: string): Checkpoint {
  const cp = parseCheckpoint(text)
  if (cp.origin !== checkpointOrigin(publicKeyHex)) throw bad(`the checkpoint is not by ${publicKeyHex}`)
  const publicKey = hexToBytes(publicKeyHex, 32)
  if (bytesToHex(cp.keyId) !== bytesToHex(checkpointKeyId(cp.origin, publicKey))) throw bad('the signature key ID does not match the origin key')
  if (!verify(cp.signature, utf8.encode(cp.body), publicKey)) {
    throw TrustError.badSignature(`the checkpoint signature at size ${cp.size} is invalid`, { size: cp.size })
  }
  return cp
}

function decodeBase64(text: string, bytes: number, what: string): Uint8Array {
  if (!BASE64_RE.test(text)) throw bad(`${what} must be padded standard base64`)
  const decoded = Buffer.from(text, 'base64')
  // Round-trip refuses non-zero padding bits, the one non-canonical form the pattern lets through.
  if (decoded.length !== bytes || decoded.toString('base64') !== text) throw bad(`${what} must be ${bytes} bytes in canonical base64`)
  return new Uint8Array(decoded)
}

function bad(text: string): TrustError {
  return new TrustError('BAD_CHECKPOINT', text)
}
