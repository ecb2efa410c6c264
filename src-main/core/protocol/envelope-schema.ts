/**
 * The envelope of DESIGN section 3 as types, and its validation. A validated
 * envelope is a fresh object built field by field, so nothing unchecked (an
 * extra key, a getter, a prototype) survives into what is signed or folded.
 */
import { TrustError } from '../errors.js'
import type { BodyByType, GenesisBody, MessageType } from './body-schemas.js'
import { BODY_VALIDATORS, LIMITS, MESSAGE_TYPES } from './body-schemas.js'
import {
  exactObject,
  fail,
  hash,
  integer,
  isLowerHex,
  isoTime,
  list,
  oneOf,
  publicKey,
  timeToMs,
} from './envelope-fields.js'

export type { MessageType } from './body-schemas.js'

/** Most refs one envelope may carry: the heads an author saw, bounded against bloat. */
export const MAX_REFS = 64

interface EnvelopeFields<T extends MessageType> {
  readonly v: 1
  readonly type: T
  readonly author: string
  readonly seq: number
  readonly lamport: number
  /** Unique message hashes in ascending order: one spelling per set of refs. */
  readonly refs: readonly string[]
  readonly time: string
  readonly body: BodyByType[T]
  readonly sig: string
}

/** GENESIS has no `negotiation` field: its own hash is the negotiation id. */
export type EnvelopeOf<T extends MessageType> = T extends 'GENESIS'
  ? EnvelopeFields<T>
  : EnvelopeFields<T> & { readonly negotiation: string }

export type Envelope = { [T in MessageType]: EnvelopeOf<T> }[MessageType]

type WithoutSig<E> = E extends unknown ? Omit<E, 'sig'> : never
export type UnsignedEnvelope = WithoutSig<Envelope>

/**
 * Checks every field of an envelope (with `sig` when `signed`) and returns a
 * fresh copy. Throws BAD_ENVELOPE for a malformed one and INVALID_NEGOTIATION
 * for a well-formed GENESIS that breaks the rules of DESIGN section 4.
 */
export function validateEnvelope(value: unknown, signed: true): Envelope
export function validateEnvelope(value: unknown, signed: false): UnsignedEnvelope
export function validateEnvelope(value: unknown, signed: boolean): Envelope | UnsignedEnvelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('envelope', 'must be an object')
  const type = oneOf((value as Record<string, unknown>).type, 'type', MESSAGE_TYPES)
  const isGenesis = type === 'GENESIS'
  const o = exactObject(value, 'envelope', REQUIRED[isGenesis ? 'genesis' : 'other'][signed ? 'signed' : 'unsigned'])
  if (o.v !== 1) fail('v', 'must be 1')

  // Checked in the order the fields were always checked, so the first fault named is the same.
  const rawRefs = list(o.refs, 'refs', isGenesis ? 0 : 1, isGenesis ? 0 : MAX_REFS)
  const refs: string[] = []
  for (let i = 0; i < rawRefs.length; i++) refs.push(hash(rawRefs[i], `refs[${i}]`))
  for (let i = 1; i < refs.length; i++) {
    if (refs[i - 1]! >= refs[i]!) fail(`refs[${i}]`, 'refs must be unique and in ascending order')
  }
  const out: Record<string, unknown> = { v: 1, type }
  if (!isGenesis) out.negotiation = hash(o.negotiation, 'negotiation')
  out.author = publicKey(o.author, 'author')
  out.seq = integer(o.seq, 'seq', 0, isGenesis ? 0 : Number.MAX_SAFE_INTEGER)
  out.lamport = integer(o.lamport, 'lamport', 1, isGenesis ? 1 : Number.MAX_SAFE_INTEGER)
  out.refs = refs
  out.time = isoTime(o.time, 'time')
  out.body = BODY_VALIDATORS[type](o.body, 'body')
  if (signed) {
    if (!isLowerHex(o.sig, 128)) fail('sig', 'must be 128 lowercase hex characters')
    out.sig = o.sig
  }
  if (isGenesis) {
    const problem = genesisProblem(out as unknown as EnvelopeOf<'GENESIS'>)
    if (problem !== null) throw new TrustError('INVALID_NEGOTIATION', `GENESIS: ${problem}`)
  }
  return out as unknown as Envelope
}

/** The fields an envelope must have, in the order missing ones are reported. */
const COMMON = ['v', 'type', 'author', 'seq', 'lamport', 'refs', 'time', 'body'] as const
const REQUIRED = {
  genesis: { unsigned: [...COMMON], signed: [...COMMON, 'sig'] },
  other: { unsigned: [...COMMON, 'negotiation'], signed: [...COMMON, 'negotiation', 'sig'] },
} as const

/**
 * The rules of DESIGN section 4 a GENESIS must meet beyond its shape; null when
 * it meets them. Shared by validation and the fold, so both judge alike.
 */
export function genesisProblem(genesis: Pick<EnvelopeOf<'GENESIS'>, 'author' | 'time' | 'body'>): string | null {
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
