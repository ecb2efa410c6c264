/**
 * One receipt of the personal audit log (DESIGN section 7):
 * `{seq, prev, time, action, negotiation, ref, data, sig}`, signed by the
 * user's key over DOMAIN_RECEIPT + JCS(receipt without sig), identified by
 * SHA-256 of JCS of the whole receipt, sig included (like envelopes, section 3).
 * The stored form is exactly those canonical bytes, so a verifier hashes what
 * is on disk without re-encoding it.
 */
import { TrustError } from '../errors.js'
import { bytesToHex, isHex } from '../crypto/hex.js'
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
  checkFields(r)
  canonicalData(r.data)
}

/** Every field but data, in the order checkUnsignedReceipt checks them. */
function checkFields(r: UnsignedReceipt): void {
  if (!Number.isSafeInteger(r.seq) || r.seq < 0) throw bad('seq must be a non-negative safe integer')
  if (!isHex(r.prev, 32)) throw bad('prev must be 64 lowercase hex characters')
  if (r.seq === 0 && r.prev !== GENESIS_PREV) throw bad('the first receipt must have prev = 64 zeros')
  if (r.seq > 0 && r.prev === GENESIS_PREV) throw bad('only the first receipt may have prev = 64 zeros')
  checkTime(r.time)
  checkAction(r.action)
  if (r.negotiation !== null && !isHex(r.negotiation, 32)) throw bad('negotiation must be 64 lowercase hex characters or null')
  if (r.ref !== null && !isHex(r.ref, 32)) throw bad('ref must be 64 lowercase hex characters or null')
}

export function checkTime(time: unknown): asserts time is string {
  // The pattern lets through impossible dates such as 2026-02-30 or 24:00, which isRealDate refuses.
  if (typeof time !== 'string' || !TIME_RE.test(time) || !isRealDate(time)) {
    throw bad('time must be ISO 8601 UTC with milliseconds, e.g. 2026-11-24T10:00:00.000Z')
  }
}

export function checkAction(action: unknown): asserts action is string {
  if (typeof action !== 'string' || action.length > MAX_ACTION_LENGTH || !ACTION_RE.test(action)) {
    throw bad('action must be a short dotted lowercase name such as negotiation.offer')
  }
}

/** Checks data and returns its JCS. */
function canonicalData(data: unknown): string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad('data must be a JSON object')
  if (depth(data, 0) > MAX_DATA_DEPTH) throw bad(`data nests deeper than ${MAX_DATA_DEPTH} levels`)
  let text: string
  try {
    text = canonicalizeStrict(data)
  } catch (err) {
    throw bad(`data is not a protocol JSON value: ${(err as Error).message}`)
  }
  // Byte length of the UTF-8 without encoding it (the text has no lone surrogates).
  const size = Buffer.byteLength(text, 'utf8')
  if (size > MAX_DATA_BYTES) throw TrustError.tooLarge('receipt data', size, MAX_DATA_BYTES)
  return text
}

/** Nesting depth, capped just past the limit; refuses sparse arrays, whose holes JCS would write as nothing (`[1,,3]`). */
function depth(value: unknown, level: number): number {
  if (level > MAX_DATA_DEPTH || typeof value !== 'object' || value === null) return level
  let max = level
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw bad('data holds an array with a hole, which is not JSON')
      max = Math.max(max, depth(value[i], level + 1))
    }
    return max
  }
  for (const item of Object.values(value)) max = Math.max(max, depth(item, level + 1))
  return max
}

/**
 * Whether a time that matches TIME_RE names a real instant: month 1-12, a day that
 * month has (proleptic Gregorian leap years, as Date uses), hour 0-23, minute and
 * second 0-59. Exactly the times that survive a Date.parse / toISOString round trip
 * (test/unit/receipts-fast-path.test.ts compares the two), without the Date objects.
 */
function isRealDate(time: string): boolean {
  const year = digits(time, 0) * 100 + digits(time, 2)
  const month = digits(time, 5)
  const day = digits(time, 8)
  if (month < 1 || month > 12 || day < 1 || digits(time, 11) > 23 || digits(time, 14) > 59 || digits(time, 17) > 59) return false
  if (month === 2) return day <= (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28)
  return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31)
}

/** The two-digit number at `at`, for text already matched by TIME_RE. */
function digits(text: string, at: number): number {
  return (text.charCodeAt(at) - 0x30) * 10 + text.charCodeAt(at + 1) - 0x30
}

/** Signs a checked unsigned receipt through the Signer (the key never leaves it). */
export function signReceipt(unsigned: UnsignedReceipt, signer: Signer): Receipt {
  checkUnsignedReceipt(unsigned)
  return { ...unsigned, sig: signer.signCanonical(DOMAIN_RECEIPT, unsigned) }
}

/**
 * signReceipt and receiptBytes in one pass, for ReceiptChain.append: the same checks,
 * the same signature and the same bytes, with data canonicalized once. Every other
 * field has just been checked to need no JSON escaping (hex, [a-z0-9_.], digits), so
 * JCS(receipt without sig) is written around JCS(data) in key order (RFC 8785 3.2.3:
 * action, data, negotiation, prev, ref, seq, time), signed as signCanonical would sign
 * it (Ed25519 over UTF-8 of DOMAIN_RECEIPT + JCS; the key stays in the Signer), and
 * the stored form is that text with `"sig"` put in its place in key order, before
 * `"time"`. Reading data once also means that what is signed is what is stored.
 * The receipt returned is not aliased to the caller's data: its data is parsed back
 * from the canonical text (so its keys come in JCS order, as parseReceiptBytes gives them).
 * Only the UnsignedReceipt fields are read: an object with more keys, which signReceipt
 * would sign and store as they are, gets a receipt without them (append passes none).
 */
export function signReceiptBytes(unsigned: UnsignedReceipt, signer: Signer): { receipt: Receipt; bytes: Uint8Array } {
  // Each field read once, so what is checked is what is written.
  const { seq, prev, time, action, negotiation, ref, data: value } = unsigned
  checkFields({ seq, prev, time, action, negotiation, ref, data: value })
  const data = canonicalData(value)
  // -0 passes the seq check but not canonicalizeStrict, which signReceipt would reach.
  if (Object.is(seq, -0)) throw TrustError.invalidEncoding('$.seq: -0 is not allowed')
  const head = `{"action":"${action}","data":${data},"negotiation":${quoted(negotiation)},"prev":"${prev}","ref":${quoted(ref)},"seq":${seq}`
  const tail = `,"time":"${time}"}`
  const sig = bytesToHex(signer.signBytes(utf8.encode(DOMAIN_RECEIPT + head + tail)))
  return {
    receipt: { seq, prev, time, action, negotiation, ref, data: JSON.parse(data) as ReceiptData, sig },
    bytes: utf8.encode(`${head},"sig":"${sig}"${tail}`),
  }
}

/** JCS of a checked hex value or null: nothing in it to escape. */
function quoted(hex: string | null): string {
  return hex === null ? 'null' : `"${hex}"`
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
