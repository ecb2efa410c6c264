/**
 * One receipt of the personal audit log (DESIGN section 7):
 * `{seq, prev, time, action, negotiation, ref, data, sig}`, signed by the
 * user's key over DOMAIN_RECEIPT + JCS(receipt without sig), identified by
 * SHA-256 of JCS of the whole receipt, sig included (like envelopes, section 3).
 * The stored form is exactly those canonical bytes, so a verifier hashes what
 * is on disk without re-encoding it.
 */
import { TrustError } from '../errors.js'
import { isHex } from '../crypto/hex.js'
import { sha256Hex } from '../crypto/hash.js'
import type { Signer } from '../crypto/signer.js'
import { DOMAIN_RECEIPT } from '../protocol/domains.js'
import { canonicalizeStrict, type JsonValue } from '../protocol/jcs.js'
import { parseJson, parseJsonBytes } from '../protocol/json.js'
import { verifyCanonical } from '../protocol/signing.js'

export type ReceiptData = { [key: string]: JsonValue }

export interface UnsignedReceipt {
  seq: number
  /** Hash of the previous receipt; GENESIS_PREV for seq 0. */
  prev: string
  /** ISO 8601 UTC with milliseconds, e.g. 2026-11-24T10:00:00.000Z. */
  time: string
  /** Short dotted name, e.g. `negotiation.offer`. */
  action: string
  negotiation: string | null
  ref: string | null
  data: ReceiptData
}

export interface Receipt extends UnsignedReceipt {
  /** 128 lowercase hex chars. */
  sig: string
}

/** `prev` of the first receipt: no receipt hashes to 32 zero bytes. */
export const GENESIS_PREV = '0'.repeat(64)
/** Limit on JCS(data); a receipt records an action, it does not carry documents. */
export const MAX_DATA_BYTES = 4096
/** Limit on a whole stored receipt (data plus the fixed fields, with room to spare). */
export const MAX_RECEIPT_BYTES = 8192
const MAX_DATA_DEPTH = 16

const ACTION_RE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*){1,3}$/
const MAX_ACTION_LENGTH = 64
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const KEYS = ['action', 'data', 'negotiation', 'prev', 'ref', 'seq', 'sig', 'time']

const utf8 = new TextEncoder()
const bad = (text: string): TrustError => new TrustError('BAD_RECEIPT', text)

/** Checks every field of an unsigned receipt; throws BAD_RECEIPT (TOO_LARGE for big data). */
export function checkUnsignedReceipt(r: UnsignedReceipt): void {
  if (!Number.isSafeInteger(r.seq) || r.seq < 0) throw bad('seq must be a non-negative safe integer')
  if (!isHex(r.prev, 32)) throw bad('prev must be 64 lowercase hex characters')
  if (r.seq === 0 && r.prev !== GENESIS_PREV) throw bad('the first receipt must have prev = 64 zeros')
  if (r.seq > 0 && r.prev === GENESIS_PREV) throw bad('only the first receipt may have prev = 64 zeros')
  checkTime(r.time)
  checkAction(r.action)
  if (r.negotiation !== null && !isHex(r.negotiation, 32)) throw bad('negotiation must be 64 lowercase hex characters or null')
  if (r.ref !== null && !isHex(r.ref, 32)) throw bad('ref must be 64 lowercase hex characters or null')
  checkData(r.data)
}

export function checkTime(time: unknown): asserts time is string {
  // Date round-trip refuses impossible dates such as 2026-02-30 that the pattern lets through.
  if (typeof time !== 'string' || !TIME_RE.test(time) || !isRealDate(time)) {
    throw bad('time must be ISO 8601 UTC with milliseconds, e.g. 2026-11-24T10:00:00.000Z')
  }
}

export function checkAction(action: unknown): asserts action is string {
  if (typeof action !== 'string' || action.length > MAX_ACTION_LENGTH || !ACTION_RE.test(action)) {
    throw bad('action must be a short dotted lowercase name such as negotiation.offer')
  }
}

function checkData(data: unknown): asserts data is ReceiptData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad('data must be a JSON object')
  if (depth(data, 0) > MAX_DATA_DEPTH) throw bad(`data nests deeper than ${MAX_DATA_DEPTH} levels`)
  let size: number
  try {
    size = utf8.encode(canonicalizeStrict(data)).length
  } catch (err) {
    throw bad(`data is not a protocol JSON value: ${(err as Error).message}`)
  }
  if (size > MAX_DATA_BYTES) throw TrustError.tooLarge('receipt data', size, MAX_DATA_BYTES)
}

function depth(value: unknown, level: number): number {
  if (level > MAX_DATA_DEPTH || typeof value !== 'object' || value === null) return level
  let max = level
  for (const item of Object.values(value)) max = Math.max(max, depth(item, level + 1))
  return max
}

function isRealDate(time: string): boolean {
  const ms = Date.parse(time)
  return Number.isFinite(ms) && new Date(ms).toISOString() === time
}

/** Signs a checked unsigned receipt through the Signer (the key never leaves it). */
export function signReceipt(unsigned: UnsignedReceipt, signer: Signer): Receipt {
  checkUnsignedReceipt(unsigned)
  return { ...unsigned, sig: signer.signCanonical(DOMAIN_RECEIPT, unsigned) }
}

/** Validates an untrusted value as a receipt: exact key set, every field checked. Does not check sig. */
export function parseReceipt(value: unknown): Receipt {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('a receipt must be a JSON object')
  const keys = Object.keys(value).sort()
  if (keys.length !== KEYS.length || keys.some((k, i) => k !== KEYS[i])) {
    throw bad(`a receipt has exactly the fields ${KEYS.join(', ')}`)
  }
  const v = value as Record<string, unknown>
  const receipt = {
    seq: v.seq,
    prev: v.prev,
    time: v.time,
    action: v.action,
    negotiation: v.negotiation,
    ref: v.ref,
    data: v.data,
    sig: v.sig,
  } as Receipt
  checkUnsignedReceipt(receipt)
  if (!isHex(receipt.sig, 64)) throw bad('sig must be 128 lowercase hex characters')
  return receipt
}

/** Strict decoding of stored or received bytes: must be the canonical encoding of a valid receipt. */
export function parseReceiptBytes(bytes: Uint8Array): Receipt {
  if (bytes.length > MAX_RECEIPT_BYTES) throw TrustError.tooLarge('receipt', bytes.length, MAX_RECEIPT_BYTES)
  const receipt = parseReceipt(parseJsonBytes(bytes))
  if (!Buffer.from(receiptBytes(receipt)).equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
    throw TrustError.nonCanonical('receipt bytes are not the JCS form of the receipt')
  }
  return receipt
}

/** The same for text already decoded (strictly) from UTF-8. */
export function parseReceiptText(text: string): Receipt {
  if (text.length > MAX_RECEIPT_BYTES) throw TrustError.tooLarge('receipt', text.length, MAX_RECEIPT_BYTES)
  const receipt = parseReceipt(parseJson(text))
  if (canonicalizeStrict(receipt) !== text) throw TrustError.nonCanonical('receipt text is not the JCS form of the receipt')
  return receipt
}

/** JCS bytes of the whole receipt, sig included: what is stored and hashed. */
export function receiptBytes(receipt: Receipt): Uint8Array {
  return utf8.encode(canonicalizeStrict(receipt))
}

/** The receipt id: SHA-256 lowercase hex of its canonical bytes. */
export function receiptHash(receipt: Receipt): string {
  return sha256Hex(receiptBytes(receipt))
}

export function unsignedPart(receipt: Receipt): UnsignedReceipt {
  const { sig: _sig, ...unsigned } = receipt
  return unsigned
}

/** Strict RFC 8032 verification of the receipt's own signature. Never throws. */
export function verifyReceiptSignature(receipt: Receipt, publicKeyHex: string): boolean {
  return verifyCanonical(DOMAIN_RECEIPT, unsignedPart(receipt), receipt.sig, publicKeyHex)
}
