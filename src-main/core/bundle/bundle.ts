/**
 * The agreement bundle (DESIGN section 10): one `*.trust.json` file holding every
 * envelope of a negotiation, so anyone can re-check the agreement offline.
 *
 *   { format: "trust-primitive/bundle@1", negotiation, envelopes: [...],
 *     names: { pubkey: name }, claimed: { status, termsHash, bindingHash } }
 *
 * Only the envelopes are evidence. `names` are unsigned labels and `claimed` is
 * what the exporter says; verify-bundle.ts recomputes both from the envelopes.
 */
import { TrustError } from '../errors.js'
import { isHex } from '../crypto/hex.js'
import { canonicalizeStrict, type JsonValue } from '../protocol/jcs.js'
import { parseJson, parseJsonBytes } from '../protocol/json.js'
import { parseEnvelope, type NegotiationStatus, type SignedEnvelope } from '../protocol/index.js'
import { displayName, displayText } from './display-text.js'

export const BUNDLE_FORMAT = 'trust-primitive/bundle@1'
/** A bundle is read whole into memory: 16 MiB holds thousands of envelopes. */
export const MAX_BUNDLE_BYTES = 16 * 1024 * 1024
/** Bounds the signature checks one file can make us do (about 1 ms each). */
export const MAX_BUNDLE_ENVELOPES = 50_000
export const MAX_BUNDLE_NAMES = 1_000

export const NEGOTIATION_STATUSES = [
  'INITIATED',
  'NEGOTIATING',
  'CONSENSUS_REACHED',
  'BINDING',
  'DISPUTED',
  'RESOLVED',
  'EXPIRED',
  'WITHDRAWN',
] as const satisfies readonly NegotiationStatus[]

export interface BundleClaims {
  status: NegotiationStatus
  termsHash: string
  /** null until the negotiation is BINDING. */
  bindingHash: string | null
}

/** The JSON document, as written to disk. */
export interface Bundle {
  format: typeof BUNDLE_FORMAT
  negotiation: string
  envelopes: JsonValue[]
  names: Record<string, string>
  claimed: BundleClaims
}

/** A bundle whose structure is checked; envelopes are still unverified objects. */
export interface BundleShape {
  negotiation: string
  /** In file order, as plain JSON values (validated one by one by readBundleEnvelope). */
  envelopes: readonly unknown[]
  /** Sanitized for display (display-text.ts); unsigned. */
  names: Readonly<Record<string, string>>
  claimed: BundleClaims
}

/** A bundle whose envelopes are all well-formed (signatures not yet checked). */
export interface ParsedBundle extends Omit<BundleShape, 'envelopes'> {
  envelopes: readonly SignedEnvelope[]
}

const TOP_LEVEL_FIELDS = ['claimed', 'envelopes', 'format', 'names', 'negotiation']
const CLAIM_FIELDS = ['bindingHash', 'status', 'termsHash']
const utf8 = new TextEncoder()

/** Structure and every envelope's well-formedness; the first problem is a BAD_BUNDLE. */
export function parseBundle(input: string | Uint8Array | unknown): ParsedBundle {
  const shape = parseBundleShape(input)
  const envelopes = shape.envelopes.map((value, index) => {
    try {
      return readBundleEnvelope(value, index)
    } catch (err) {
      const cause = TrustError.from(err)
      throw badBundle(`${cause.message.slice(cause.code.length + 2)} (${cause.code})`, { index, cause: cause.code })
    }
  })
  return { ...shape, envelopes }
}

/**
 * Checks everything but the envelopes' contents. Text and bytes go through the
 * strict parser (no duplicate keys, no floats: protocol/json.ts); an object
 * (from the JSON-RPC API) is checked field by field the same way.
 */
export function parseBundleShape(input: string | Uint8Array | unknown): BundleShape {
  const doc = readDocument(input)
  if (!isPlainObject(doc)) throw badBundle('the bundle must be a JSON object')
  const keys = Object.keys(doc).sort()
  const missing = TOP_LEVEL_FIELDS.filter((k) => !keys.includes(k))
  const extra = keys.filter((k) => !TOP_LEVEL_FIELDS.includes(k))
  if (missing.length > 0) throw badBundle(`missing field(s): ${missing.join(', ')}`)
  if (extra.length > 0) throw badBundle(`unknown field(s): ${extra.map((k) => JSON.stringify(k)).join(', ')}`)

  if (doc.format !== BUNDLE_FORMAT) {
    throw badBundle(`format must be ${JSON.stringify(BUNDLE_FORMAT)}, got ${describe(doc.format)}`)
  }
  if (!isHex(doc.negotiation, 32)) throw badBundle('negotiation must be 64 lowercase hex characters (the GENESIS hash)')
  const envelopes = doc.envelopes
  if (!Array.isArray(envelopes)) throw badBundle('envelopes must be an array')
  if (envelopes.length === 0) throw badBundle('envelopes is empty: a bundle holds at least the GENESIS')
  if (envelopes.length > MAX_BUNDLE_ENVELOPES) {
    throw badBundle(`${envelopes.length} envelopes, the limit is ${MAX_BUNDLE_ENVELOPES}`)
  }
  return {
    negotiation: doc.negotiation,
    envelopes,
    names: parseNames(doc.names),
    claimed: parseClaims(doc.claimed),
  }
}

/**
 * One envelope object -> its signed bytes. The bytes are the strict JCS of the
 * object (DESIGN section 3: an envelope is its canonical bytes), then parsed by
 * the protocol's own parseEnvelope, so field rules live in one place. Throws the
 * protocol's error (BAD_ENVELOPE, INVALID_NEGOTIATION, TOO_LARGE...) naming the index.
 */
export function readBundleEnvelope(value: unknown, index: number): SignedEnvelope {
  try {
    if (!isPlainObject(value)) throw new TrustError('BAD_ENVELOPE', 'must be a JSON object')
    return parseEnvelope(utf8.encode(canonicalizeStrict(value)))
  } catch (err) {
    const cause = TrustError.from(err, 'BAD_ENVELOPE')
    const text = cause.message.slice(cause.code.length + 2)
    throw new TrustError(cause.code, `envelope ${index} is malformed: ${text}`, { index })
  }
}

function readDocument(input: unknown): unknown {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    // A string's UTF-8 is at least one byte per code unit: a long one is refused before encoding.
    const size = typeof input !== 'string' ? input.length : input.length > MAX_BUNDLE_BYTES ? input.length : utf8.encode(input).length
    if (size > MAX_BUNDLE_BYTES) throw badBundle(`the bundle is ${size} bytes, the limit is ${MAX_BUNDLE_BYTES}`)
    try {
      return typeof input === 'string' ? parseJson(input) : parseJsonBytes(input)
    } catch (err) {
      throw badBundle(`the bundle is not valid JSON: ${TrustError.from(err).message}`)
    }
  }
  return input
}

function parseNames(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) throw badBundle('names must be an object mapping public keys to names')
  const keys = Object.keys(value)
  if (keys.length > MAX_BUNDLE_NAMES) throw badBundle(`names has ${keys.length} entries, the limit is ${MAX_BUNDLE_NAMES}`)
  const out: Record<string, string> = {}
  for (const key of keys.sort()) {
    const name = value[key]
    if (!isHex(key, 32)) throw badBundle(`names: key ${describe(key)} is not a public key (64 lowercase hex characters)`)
    if (typeof name !== 'string') throw badBundle(`names: the name of ${key.slice(0, 16)}\u2026 must be a string`)
    out[key] = displayName(name)
  }
  return out
}

function parseClaims(value: unknown): BundleClaims {
  if (!isPlainObject(value)) throw badBundle('claimed must be an object {status, termsHash, bindingHash}')
  const keys = Object.keys(value)
  const missing = CLAIM_FIELDS.filter((k) => !keys.includes(k))
  const extra = keys.filter((k) => !CLAIM_FIELDS.includes(k))
  if (missing.length > 0) throw badBundle(`claimed: missing field(s): ${missing.join(', ')}`)
  if (extra.length > 0) throw badBundle(`claimed: unknown field(s): ${extra.map((k) => JSON.stringify(k)).join(', ')}`)
  const { status, termsHash, bindingHash } = value
  if (!isStatus(status)) {
    throw badBundle(`claimed.status must be one of ${NEGOTIATION_STATUSES.join(', ')}, got ${describe(status)}`)
  }
  if (!isHex(termsHash, 32)) throw badBundle('claimed.termsHash must be 64 lowercase hex characters')
  if (bindingHash !== null && !isHex(bindingHash, 32)) {
    throw badBundle('claimed.bindingHash must be 64 lowercase hex characters, or null before BINDING')
  }
  return { status, termsHash, bindingHash }
}

export function isStatus(value: unknown): value is NegotiationStatus {
  return typeof value === 'string' && (NEGOTIATION_STATUSES as readonly string[]).includes(value)
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function describe(value: unknown): string {
  if (typeof value === 'string') return displayText(JSON.stringify(value), { maxLength: 42 })
  if (value === null) return 'null'
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`
}

function badBundle(text: string, detail?: Record<string, unknown>): TrustError {
  return new TrustError('BAD_BUNDLE', text, detail)
}
