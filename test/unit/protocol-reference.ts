/**
 * Reference implementations for the differential tests (jcs-fast.test.ts,
 * envelope-fast.test.ts): the JCS encoder, the strict JSON parser and the
 * envelope validation as they were before they were made faster, copied
 * unchanged but for names (and setMember inlined). Only the constants (LIMITS,
 * MESSAGE_TYPES) and types come from the code under test. The fast code must
 * accept, build and refuse exactly as these do. Not a test file itself (no .test.ts).
 */
import { TrustError } from '../../src-main/core/errors.js'
import { isPublicKeyHex } from '../../src-main/core/crypto/ed25519.js'
import { isHex } from '../../src-main/core/crypto/hex.js'
import { LIMITS, MESSAGE_TYPES } from '../../src-main/core/protocol/body-schemas.js'
import type { AcceptBody, Arbiters, BodyByType, GenesisBody, MessageType } from '../../src-main/core/protocol/body-schemas.js'
import type { Envelope, EnvelopeOf, UnsignedEnvelope } from '../../src-main/core/protocol/envelope-schema.js'
import type { JsonValue } from '../../src-main/core/protocol/jcs.js'
import type { Clause, ClauseChange } from '../../src-main/core/protocol/terms.js'

// ---------------------------------------------------------------------------
// Reference encoder: src-main/core/protocol/jcs.ts before the fast path.

export function refEncode(value: unknown, strict: boolean, path: string): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'string':
      return refEncodeString(value, path)
    case 'number':
      return refEncodeNumber(value, strict, path)
    case 'object':
      if (Array.isArray(value)) {
        // Changed after the copy: an empty slot is refused (it was written as nothing, which is not JSON).
        const parts: string[] = []
        for (let i = 0; i < value.length; i++) {
          if (!Object.hasOwn(value, i)) throw TrustError.invalidEncoding(`${path}[${i}]: an empty array slot is not a JSON value`)
          parts.push(refEncode(value[i], strict, `${path}[${i}]`))
        }
        return '[' + parts.join(',') + ']'
      }
      return refEncodeObject(value as Record<string, unknown>, strict, path)
    default:
      throw TrustError.invalidEncoding(`${path}: ${typeof value} is not a JSON value`)
  }
}

function refEncodeNumber(value: number, strict: boolean, path: string): string {
  if (!Number.isFinite(value)) throw TrustError.invalidEncoding(`${path}: NaN and Infinity are not JSON`)
  if (strict) {
    if (Object.is(value, -0)) throw TrustError.invalidEncoding(`${path}: -0 is not allowed`)
    if (!Number.isInteger(value)) throw TrustError.invalidEncoding(`${path}: floats are not allowed`)
    if (!Number.isSafeInteger(value)) throw TrustError.invalidEncoding(`${path}: integers beyond 2^53 are not allowed`)
  }
  return Object.is(value, -0) ? '0' : String(value)
}

function refEncodeObject(obj: Record<string, unknown>, strict: boolean, path: string): string {
  const proto = Object.getPrototypeOf(obj)
  if (proto !== Object.prototype && proto !== null) {
    throw TrustError.invalidEncoding(`${path}: only plain objects are JSON`)
  }
  const keys = Object.keys(obj).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const parts: string[] = []
  for (const key of keys) {
    const item = obj[key]
    if (item === undefined) throw TrustError.invalidEncoding(`${path}.${key}: undefined is not JSON`)
    parts.push(refEncodeString(key, path) + ':' + refEncode(item, strict, `${path}.${key}`))
  }
  return '{' + parts.join(',') + '}'
}

function refEncodeString(value: string, path: string): string {
  if (refHasLoneSurrogate(value)) throw TrustError.invalidEncoding(`${path}: string holds a lone surrogate`)
  return JSON.stringify(value)
}

export function refHasLoneSurrogate(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++
        continue
      }
      return true
    }
    if (c >= 0xdc00 && c <= 0xdfff) return true
  }
  return false
}

// ---------------------------------------------------------------------------
// Reference parser: src-main/core/protocol/json.ts before the fast paths.

export function refParseJson(text: string, options: { strict?: boolean; maxDepth?: number } = {}): JsonValue {
  if (typeof text !== 'string') throw TrustError.invalidEncoding('JSON input must be a string')
  const parser = new RefParser(text, options.strict ?? true, options.maxDepth ?? 64)
  parser.skipWhitespace()
  const value = parser.parseValue(0)
  parser.skipWhitespace()
  if (parser.pos !== text.length) parser.fail('unexpected data after the JSON value')
  return value
}

class RefParser {
  pos = 0
  constructor(
    readonly text: string,
    readonly strict: boolean,
    readonly maxDepth: number,
  ) {}

  fail(what: string): never {
    throw TrustError.invalidEncoding(`invalid JSON at offset ${this.pos}: ${what}`)
  }

  skipWhitespace(): void {
    const t = this.text
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos)
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++
      else break
    }
  }

  parseValue(depth: number): JsonValue {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`)
    const c = this.text[this.pos]
    switch (c) {
      case '{':
        return this.parseObject(depth)
      case '[':
        return this.parseArray(depth)
      case '"':
        return this.parseString()
      case 't':
        return this.literal('true', true)
      case 'f':
        return this.literal('false', false)
      case 'n':
        return this.literal('null', null)
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.parseNumber()
        return this.fail(c === undefined ? 'unexpected end' : `unexpected character ${JSON.stringify(c)}`)
    }
  }

  literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected ${word}`)
    this.pos += word.length
    return value
  }

  parseObject(depth: number): JsonValue {
    this.pos++
    const out: Record<string, JsonValue> = {}
    const seen = new Set<string>()
    this.skipWhitespace()
    if (this.text[this.pos] === '}') {
      this.pos++
      return out
    }
    for (;;) {
      this.skipWhitespace()
      if (this.text[this.pos] !== '"') this.fail('expected a string key')
      const key = this.parseString()
      if (seen.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`)
      seen.add(key)
      this.skipWhitespace()
      if (this.text[this.pos] !== ':') this.fail('expected :')
      this.pos++
      this.skipWhitespace()
      const value = this.parseValue(depth + 1)
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
      else out[key] = value
      this.skipWhitespace()
      const c = this.text[this.pos]
      if (c === ',') {
        this.pos++
        continue
      }
      if (c === '}') {
        this.pos++
        return out
      }
      this.fail('expected , or }')
    }
  }

  parseArray(depth: number): JsonValue {
    this.pos++
    const out: JsonValue[] = []
    this.skipWhitespace()
    if (this.text[this.pos] === ']') {
      this.pos++
      return out
    }
    for (;;) {
      this.skipWhitespace()
      out.push(this.parseValue(depth + 1))
      this.skipWhitespace()
      const c = this.text[this.pos]
      if (c === ',') {
        this.pos++
        continue
      }
      if (c === ']') {
        this.pos++
        return out
      }
      this.fail('expected , or ]')
    }
  }

  parseString(): string {
    const start = this.pos
    this.pos++
    const t = this.text
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string')
      const c = t.charCodeAt(this.pos)
      if (c === 0x22) break
      if (c < 0x20) this.fail('control character in string')
      if (c === 0x5c) {
        const e = t[this.pos + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) this.fail('bad \\u escape')
          this.pos += 6
          continue
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail('bad escape')
        this.pos += 2
        continue
      }
      this.pos++
    }
    this.pos++
    const value = JSON.parse(t.slice(start, this.pos)) as string
    if (refHasLoneSurrogate(value)) {
      this.pos = start
      this.fail('string holds a lone surrogate')
    }
    return value
  }

  parseNumber(): number {
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400))
    if (!m) return this.fail('bad number')
    const literal = m[0]
    const value = Number(literal)
    if (this.strict) {
      if (m[1] !== undefined || m[2] !== undefined) this.fail('floats and exponents are not allowed')
      if (Object.is(value, -0)) this.fail('-0 is not allowed')
      if (!Number.isSafeInteger(value)) this.fail('integers beyond 2^53 are not allowed')
    } else if (!Number.isFinite(value)) {
      this.fail('number out of range')
    }
    this.pos += literal.length
    return value
  }
}

// ---------------------------------------------------------------------------
// Reference envelope validation: envelope-fields.ts, body-schemas.ts, envelope-schema.ts before.

function fail(path: string, text: string): never {
  throw new TrustError('BAD_ENVELOPE', `${path}: ${text}`, { path })
}

/** A plain object with exactly the `required` keys and any of the `optional` ones. */
function exactObject(
  value: unknown,
  path: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object')
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) fail(path, 'must be a plain object')
  const obj = value as Record<string, unknown>
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) fail(path, `unexpected field ${JSON.stringify(key)}`)
  }
  for (const key of required) {
    if (!Object.hasOwn(obj, key) || obj[key] === undefined) fail(path, `missing field ${JSON.stringify(key)}`)
  }
  return obj
}

/** Lengths count UTF-16 code units, the unit JavaScript and JCS (RFC 8785 3.2.3) use. */
function text(value: unknown, path: string, min: number, max: number): string {
  if (typeof value !== 'string') fail(path, 'must be a string')
  if (value.length < min) fail(path, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
  if (value.length > max) fail(path, `must be at most ${max} characters`)
  return value
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(path, 'must be a safe integer')
  if (value < min || value > max) fail(path, `must be between ${min} and ${max}`)
  return value
}

/** 64 lowercase hex characters: a SHA-256 id or a 32-byte key. */
function hash(value: unknown, path: string): string {
  if (!isHex(value, 32)) fail(path, 'must be 64 lowercase hex characters')
  return value
}

/**
 * Keys already found valid. Checking a point costs a decompression (~0.1 ms)
 * and a negotiation has a handful of authors, so most checks are repeats. The
 * answer for a given string never changes; the set is bounded.
 */
const validKeys = new Set<string>()
const VALID_KEYS_MAX = 4096

function publicKey(value: unknown, path: string): string {
  if (!isHex(value, 32)) fail(path, 'must be 64 lowercase hex characters')
  if (validKeys.has(value)) return value
  if (!isPublicKeyHex(value)) fail(path, 'is not a valid Ed25519 public key')
  if (validKeys.size >= VALID_KEYS_MAX) validKeys.clear()
  validKeys.add(value)
  return value
}

function list(value: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array')
  if (value.length < min) fail(path, `must hold at least ${min} item${min === 1 ? '' : 's'}`)
  if (value.length > max) fail(path, `must hold at most ${max} items`)
  return value
}

function oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    fail(path, `must be one of ${options.join(', ')}`)
  }
  return value as T
}

/** Lowercase only, so `price` and `Price` cannot be two confusable clauses. */
const CLAUSE_ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/

function clauseId(value: unknown, path: string): string {
  if (typeof value !== 'string' || !CLAUSE_ID_RE.test(value)) {
    fail(path, 'must match /^[a-z0-9][a-z0-9_-]{0,63}$/ (lowercase letters, digits, _ and -)')
  }
  return value
}

/** DESIGN section 3: ISO 8601 UTC with milliseconds, exactly one spelling per instant. */
const ISO_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

function isoTime(value: unknown, path: string): string {
  if (typeof value !== 'string' || !ISO_TIME_RE.test(value)) fail(path, 'must be YYYY-MM-DDTHH:mm:ss.sssZ')
  const ms = Date.parse(value)
  // The round trip refuses dates that do not exist (2026-02-30, 24:00:00).
  if (!Number.isFinite(ms) || new Date(ms).toISOString() !== value) fail(path, 'is not a real date and time')
  return value
}

/** Milliseconds since the epoch of a time already checked by `isoTime`. */
function timeToMs(iso: string): number {
  return Date.parse(iso)
}

type Validator<T> = (value: unknown, path: string) => T

/** Copies `value[key]` through `check` only when present, so absent stays absent (one JCS spelling). */
function optional<T>(obj: Record<string, unknown>, key: string, path: string, check: Validator<T>): { [k: string]: T } {
  return Object.hasOwn(obj, key) ? { [key]: check(obj[key], `${path}.${key}`) } : {}
}

function clause(value: unknown, path: string): Clause {
  const o = exactObject(value, path, ['id', 'title', 'text'])
  return {
    id: clauseId(o.id, `${path}.id`),
    title: text(o.title, `${path}.title`, 1, LIMITS.title),
    text: text(o.text, `${path}.text`, 1, LIMITS.clauseText),
  }
}

function change(value: unknown, path: string): ClauseChange {
  if (typeof value !== 'object' || value === null) fail(path, 'must be an object')
  const op = oneOf((value as Record<string, unknown>).op, `${path}.op`, ['set', 'add', 'remove'] as const)
  if (op === 'remove') {
    const o = exactObject(value, path, ['op', 'clause'])
    return { op, clause: clauseId(o.clause, `${path}.clause`) }
  }
  if (op === 'add') {
    const o = exactObject(value, path, ['op', 'clause', 'title', 'text'])
    return {
      op,
      clause: clauseId(o.clause, `${path}.clause`),
      title: text(o.title, `${path}.title`, 1, LIMITS.title),
      text: text(o.text, `${path}.text`, 1, LIMITS.clauseText),
    }
  }
  const o = exactObject(value, path, ['op', 'clause'], ['title', 'text'])
  if (!Object.hasOwn(o, 'title') && !Object.hasOwn(o, 'text')) fail(path, 'a set change needs title or text')
  return {
    op,
    clause: clauseId(o.clause, `${path}.clause`),
    ...optional(o, 'title', path, (v, p) => text(v, p, 1, LIMITS.title)),
    ...optional(o, 'text', path, (v, p) => text(v, p, 1, LIMITS.clauseText)),
  }
}

function arbiters(value: unknown, path: string): Arbiters {
  const o = exactObject(value, path, ['keys', 'threshold'])
  const keys = list(o.keys, `${path}.keys`, 1, LIMITS.arbiters).map((k, i) => publicKey(k, `${path}.keys[${i}]`))
  return { keys, threshold: integer(o.threshold, `${path}.threshold`, 1, keys.length) }
}

const genesis: Validator<GenesisBody> = (value, path) => {
  const o = exactObject(
    value,
    path,
    ['title', 'participants', 'clauses', 'requiredConsensus', 'deadline'],
    ['arbiters', 'appealWindowDays'],
  )
  const { min, max } = LIMITS.participants
  return {
    title: text(o.title, `${path}.title`, 1, LIMITS.title),
    participants: list(o.participants, `${path}.participants`, min, max).map((k, i) =>
      publicKey(k, `${path}.participants[${i}]`),
    ),
    clauses: list(o.clauses, `${path}.clauses`, 1, LIMITS.clauses).map((c, i) => clause(c, `${path}.clauses[${i}]`)),
    requiredConsensus: integer(o.requiredConsensus, `${path}.requiredConsensus`, 1, max),
    deadline: isoTime(o.deadline, `${path}.deadline`),
    ...optional(o, 'arbiters', path, arbiters),
    ...optional(o, 'appealWindowDays', path, (v, p) =>
      integer(v, p, LIMITS.appealWindowDays.min, LIMITS.appealWindowDays.max),
    ),
  }
}

const termsHashBody: Validator<AcceptBody> = (value, path) => {
  const o = exactObject(value, path, ['termsHash'])
  return { termsHash: hash(o.termsHash, `${path}.termsHash`) }
}

const BODY_VALIDATORS: { [T in MessageType]: Validator<BodyByType[T]> } = {
  GENESIS: genesis,
  JOIN: (value, path) => {
    const o = exactObject(value, path, ['feed'])
    return { feed: hash(o.feed, `${path}.feed`) }
  },
  OFFER: (value, path) => {
    const o = exactObject(value, path, ['base', 'changes'], ['note'])
    return {
      base: hash(o.base, `${path}.base`),
      changes: list(o.changes, `${path}.changes`, 1, LIMITS.changes).map((c, i) => change(c, `${path}.changes[${i}]`)),
      ...optional(o, 'note', path, (v, p) => text(v, p, 0, LIMITS.note)),
    }
  },
  LOCK: (value, path) => {
    const o = exactObject(value, path, ['clause', 'textHash'])
    return { clause: clauseId(o.clause, `${path}.clause`), textHash: hash(o.textHash, `${path}.textHash`) }
  },
  ACCEPT: termsHashBody,
  FINALIZE: termsHashBody,
  WITHDRAW: (value, path) => {
    const o = exactObject(value, path, [], ['reason'])
    return optional(o, 'reason', path, (v, p) => text(v, p, 0, LIMITS.note))
  },
  DISPUTE: (value, path) => {
    const o = exactObject(value, path, ['reason'], ['evidence'])
    return {
      reason: text(o.reason, `${path}.reason`, 1, LIMITS.reason),
      ...optional(o, 'evidence', path, (v, p) => text(v, p, 0, LIMITS.evidence)),
    }
  },
  APPEAL_DECISION: (value, path) => {
    const o = exactObject(value, path, ['dispute', 'outcome'], ['remedy'])
    return {
      dispute: hash(o.dispute, `${path}.dispute`),
      outcome: oneOf(o.outcome, `${path}.outcome`, ['upheld', 'rejected'] as const),
      ...optional(o, 'remedy', path, (v, p) => text(v, p, 0, LIMITS.remedy)),
    }
  },
  RESOLVE: (value, path) => {
    const o = exactObject(value, path, ['dispute', 'settlement'])
    return {
      dispute: hash(o.dispute, `${path}.dispute`),
      settlement: text(o.settlement, `${path}.settlement`, 1, LIMITS.settlement),
    }
  },
}

const MAX_REFS = 64

/**
 * Checks every field of an envelope (with `sig` when `signed`) and returns a
 * fresh copy. Throws BAD_ENVELOPE for a malformed one and INVALID_NEGOTIATION
 * for a well-formed GENESIS that breaks the rules of DESIGN section 4.
 */
export function refValidateEnvelope(value: unknown, signed: true): Envelope
export function refValidateEnvelope(value: unknown, signed: false): UnsignedEnvelope
export function refValidateEnvelope(value: unknown, signed: boolean): Envelope | UnsignedEnvelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('envelope', 'must be an object')
  const type = oneOf((value as Record<string, unknown>).type, 'type', MESSAGE_TYPES)
  const isGenesis = type === 'GENESIS'
  const required = ['v', 'type', 'author', 'seq', 'lamport', 'refs', 'time', 'body']
  if (!isGenesis) required.push('negotiation')
  if (signed) required.push('sig')
  const o = exactObject(value, 'envelope', required)
  if (o.v !== 1) fail('v', 'must be 1')

  const refs = list(o.refs, 'refs', isGenesis ? 0 : 1, isGenesis ? 0 : MAX_REFS).map((r, i) => hash(r, `refs[${i}]`))
  for (let i = 1; i < refs.length; i++) {
    if (refs[i - 1]! >= refs[i]!) fail(`refs[${i}]`, 'refs must be unique and in ascending order')
  }
  const out: Record<string, unknown> = {
    v: 1,
    type,
    ...(isGenesis ? {} : { negotiation: hash(o.negotiation, 'negotiation') }),
    author: publicKey(o.author, 'author'),
    seq: integer(o.seq, 'seq', 0, isGenesis ? 0 : Number.MAX_SAFE_INTEGER),
    lamport: integer(o.lamport, 'lamport', 1, isGenesis ? 1 : Number.MAX_SAFE_INTEGER),
    refs,
    time: isoTime(o.time, 'time'),
    body: BODY_VALIDATORS[type](o.body, 'body'),
  }
  if (signed) {
    if (typeof o.sig !== 'string' || !/^[0-9a-f]{128}$/.test(o.sig)) fail('sig', 'must be 128 lowercase hex characters')
    out.sig = o.sig
  }
  if (isGenesis) {
    const problem = genesisProblem(out as unknown as EnvelopeOf<'GENESIS'>)
    if (problem !== null) throw new TrustError('INVALID_NEGOTIATION', `GENESIS: ${problem}`)
  }
  return out as unknown as Envelope
}

/**
 * The rules of DESIGN section 4 a GENESIS must meet beyond its shape; null when
 * it meets them. Shared by validation and the fold, so both judge alike.
 */
function genesisProblem(genesis: Pick<EnvelopeOf<'GENESIS'>, 'author' | 'time' | 'body'>): string | null {
  const body: GenesisBody = genesis.body
  const n = body.participants.length
  if (n < LIMITS.participants.min || n > LIMITS.participants.max) {
    return `a negotiation needs ${LIMITS.participants.min} to ${LIMITS.participants.max} participants, not ${n}`
  }
  if (new Set(body.participants).size !== n) return 'participants must be distinct'
  if (body.participants[0] !== genesis.author) return 'the creator (author) must be the first participant'
  const k = body.requiredConsensus
  const min = Math.floor(n / 2) + 1
  if (!Number.isSafeInteger(k) || k < min || k > n) {
    return `requiredConsensus must be between ${min} and ${n} for ${n} participants, not ${k}`
  }
  if (new Set(body.clauses.map((c) => c.id)).size !== body.clauses.length) return 'clause ids must be distinct'
  if (timeToMs(body.deadline) <= timeToMs(genesis.time)) return 'the deadline must be after the GENESIS time'
  if (body.arbiters !== undefined) {
    const keys = body.arbiters.keys
    if (new Set(keys).size !== keys.length) return 'arbiters must be distinct'
    // An arbiter who is also a party would judge their own case.
    if (keys.some((key) => body.participants.includes(key))) return 'an arbiter cannot be a participant'
    const t = body.arbiters.threshold
    if (!Number.isSafeInteger(t) || t < 1 || t > keys.length) {
      return `arbiters.threshold must be between 1 and ${keys.length}, not ${t}`
    }
  }
  return null
}
