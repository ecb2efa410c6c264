/**
 * Checks what a user asks `negotiations.create` for (DESIGN sections 3, 4 and 11)
 * and turns it into a GENESIS body. Each mistake gets its own clear TrustError
 * here, before anything is signed; the envelope schema then checks the result
 * again as the backstop every peer runs.
 */
import { isPublicKeyHex } from '../crypto/ed25519.js'
import { isHex } from '../crypto/hex.js'
import { TrustError } from '../errors.js'
import { LIMITS, type GenesisBody } from '../protocol/body-schemas.js'
import type { Clause } from '../protocol/terms.js'

export interface CreateInput {
  title: string
  /** The counterparties' public keys; the creator is added first (DESIGN section 11). */
  participants: string[]
  clauses: Clause[]
  /** k; defaults to n, everyone (DESIGN section 4). */
  requiredConsensus?: number
  /** ISO 8601 UTC with milliseconds, in the future. */
  deadline: string
  arbiters?: { keys: string[]; threshold: number }
  appealWindowDays?: number
}

const CLAUSE_ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/
const ISO_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
/** C0 and C1 controls; tab and newlines are fine in clause text, not in titles. */
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/

function invalid(text: string, detail?: Record<string, unknown>): never {
  throw TrustError.invalidInput(text, detail)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function checkKeys(obj: Record<string, unknown>, what: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) invalid(`${what} has an unexpected field ${JSON.stringify(key)}`)
}

function checkTitle(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') invalid(`${what} must be a non-empty string`)
  if (value.length > LIMITS.title) throw TrustError.tooLarge(what, value.length, LIMITS.title)
  if (CONTROL_RE.test(value)) invalid(`${what} must not contain control characters`)
  return value
}

function checkKey(value: unknown, what: string): string {
  if (!isHex(value, 32)) throw TrustError.badKey(`${what} must be 64 lowercase hex characters`)
  if (!isPublicKeyHex(value)) throw TrustError.badKey(`${what} is not a valid Ed25519 public key`)
  return value
}

function checkClauses(value: unknown): Clause[] {
  if (!Array.isArray(value) || value.length === 0) invalid('clauses must be a non-empty list')
  if (value.length > LIMITS.clauses) invalid(`at most ${LIMITS.clauses} clauses, not ${value.length}`)
  const seen = new Set<string>()
  return value.map((c: unknown, i): Clause => {
    const what = `clauses[${i}]`
    if (!isPlainObject(c)) invalid(`${what} must be an object {id, title, text}`)
    checkKeys(c, what, ['id', 'title', 'text'])
    if (typeof c.id !== 'string' || !CLAUSE_ID_RE.test(c.id)) {
      invalid(`${what}.id must be 1-64 of lowercase letters, digits, _ and -, starting with a letter or digit`)
    }
    if (seen.has(c.id)) invalid(`clause id ${JSON.stringify(c.id)} appears twice`, { clause: c.id })
    seen.add(c.id)
    const title = checkTitle(c.title, `${what}.title`)
    if (typeof c.text !== 'string' || c.text.length === 0) invalid(`${what}.text must be a non-empty string`)
    if (c.text.length > LIMITS.clauseText) throw TrustError.tooLarge(`${what}.text`, c.text.length, LIMITS.clauseText)
    return { id: c.id, title, text: c.text }
  })
}

/** The GENESIS body for `input`, created by `creator` at `nowMs`. Throws INVALID_INPUT, BAD_KEY or TOO_LARGE. */
export function genesisBodyFor(input: unknown, creator: string, nowMs: number): GenesisBody {
  if (!isPlainObject(input)) invalid('create needs an object {title, participants, clauses, deadline, ...}')
  checkKeys(input, 'create', ['title', 'participants', 'clauses', 'requiredConsensus', 'deadline', 'arbiters', 'appealWindowDays'])
  const title = checkTitle(input.title, 'title')

  const others = input.participants
  if (!Array.isArray(others)) invalid("participants must be a list of the counterparties' public keys")
  const { min, max } = LIMITS.participants
  const keys = others.map((k: unknown, i) => checkKey(k, `participants[${i}]`))
  if (keys.includes(creator)) invalid('participants lists the counterparties only: you are added as the creator')
  if (new Set(keys).size !== keys.length) invalid('participants must be distinct')
  const participants = [creator, ...keys]
  const n = participants.length
  if (n < min) invalid(`a negotiation needs at least ${min} participants: name at least one counterparty`)
  if (n > max) invalid(`a negotiation has at most ${max} participants, not ${n}`)

  // DESIGN section 4: floor(n/2)+1 <= k <= n, so two disjoint groups can never both reach consensus.
  const kMin = Math.floor(n / 2) + 1
  const k = input.requiredConsensus ?? n
  if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < kMin || k > n) {
    invalid(`requiredConsensus must be an integer from ${kMin} to ${n} for ${n} participants`, { min: kMin, max: n })
  }

  const deadline = input.deadline
  if (typeof deadline !== 'string' || !ISO_TIME_RE.test(deadline) || new Date(Date.parse(deadline)).toISOString() !== deadline) {
    invalid('deadline must be an ISO 8601 UTC time with milliseconds, e.g. 2026-12-01T12:00:00.000Z')
  }
  if (Date.parse(deadline) <= nowMs) invalid('the deadline is in the past')

  const clauses = checkClauses(input.clauses)

  const body: { -readonly [K in keyof GenesisBody]: GenesisBody[K] } = {
    title,
    participants,
    clauses,
    requiredConsensus: k,
    deadline,
  }
  if (input.arbiters !== undefined) {
    const a = input.arbiters
    if (!isPlainObject(a)) invalid('arbiters must be an object {keys, threshold}')
    checkKeys(a, 'arbiters', ['keys', 'threshold'])
    if (!Array.isArray(a.keys) || a.keys.length === 0 || a.keys.length > LIMITS.arbiters) {
      invalid(`arbiters.keys must list 1 to ${LIMITS.arbiters} public keys`)
    }
    const arbiterKeys = a.keys.map((key: unknown, i) => checkKey(key, `arbiters.keys[${i}]`))
    if (new Set(arbiterKeys).size !== arbiterKeys.length) invalid('arbiters must be distinct')
    if (arbiterKeys.some((key) => participants.includes(key))) invalid('an arbiter cannot be a participant')
    const t = a.threshold
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 1 || t > arbiterKeys.length) {
      invalid(`arbiters.threshold must be an integer from 1 to ${arbiterKeys.length}`)
    }
    body.arbiters = { keys: arbiterKeys, threshold: t }
  }
  if (input.appealWindowDays !== undefined) {
    const d = input.appealWindowDays
    const { min: dMin, max: dMax } = LIMITS.appealWindowDays
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < dMin || d > dMax) {
      invalid(`appealWindowDays must be an integer from ${dMin} to ${dMax}`)
    }
    body.appealWindowDays = d
  }
  return body
}
