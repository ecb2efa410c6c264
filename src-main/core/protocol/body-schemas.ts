/**
 * The body of each message type (DESIGN section 3, table "Bodies"): exact
 * fields, no extras, bounded sizes. Limits keep one envelope well under the
 * 64 KiB wire cap and keep the fold's work per message small.
 */
import type { Clause, ClauseChange } from './terms.js'
import { MAX_CLAUSES } from './terms.js'
import {
  clauseId,
  exactObject,
  fail,
  hash,
  integer,
  isoTime,
  list,
  oneOf,
  publicKey,
  text,
} from './envelope-fields.js'

export const MESSAGE_TYPES = [
  'GENESIS',
  'JOIN',
  'OFFER',
  'LOCK',
  'ACCEPT',
  'FINALIZE',
  'WITHDRAW',
  'DISPUTE',
  'APPEAL_DECISION',
  'RESOLVE',
] as const

export type MessageType = (typeof MESSAGE_TYPES)[number]

export const LIMITS = {
  title: 200, // negotiation and clause titles, 1..200
  clauseText: 4000, // 1..4000
  clauses: MAX_CLAUSES, // 1..50 in GENESIS and after every OFFER
  changes: 50, // 1..50 per OFFER
  participants: { min: 2, max: 10 },
  arbiters: 10, // 1..10 keys
  appealWindowDays: { min: 1, max: 365, default: 7 },
  note: 1000, // OFFER note, WITHDRAW reason: 0..1000
  reason: 1000, // DISPUTE reason: 1..1000
  evidence: 4000, // DISPUTE evidence: 0..4000
  remedy: 2000, // APPEAL_DECISION remedy: 0..2000
  settlement: 2000, // RESOLVE settlement: 1..2000
} as const

export interface Arbiters {
  readonly keys: readonly string[]
  readonly threshold: number
}

export interface GenesisBody {
  readonly title: string
  readonly participants: readonly string[]
  readonly clauses: readonly Clause[]
  readonly requiredConsensus: number
  readonly deadline: string
  readonly arbiters?: Arbiters
  readonly appealWindowDays?: number
}
export interface JoinBody {
  readonly feed: string
}
export interface OfferBody {
  readonly base: string
  readonly changes: readonly ClauseChange[]
  readonly note?: string
}
export interface LockBody {
  readonly clause: string
  readonly textHash: string
}
export interface AcceptBody {
  readonly termsHash: string
}
export interface FinalizeBody {
  readonly termsHash: string
}
export interface WithdrawBody {
  readonly reason?: string
}
export interface DisputeBody {
  readonly reason: string
  readonly evidence?: string
}
export type AppealOutcome = 'upheld' | 'rejected'
export interface AppealDecisionBody {
  readonly dispute: string
  readonly outcome: AppealOutcome
  readonly remedy?: string
}
export interface ResolveBody {
  readonly dispute: string
  readonly settlement: string
}

export interface BodyByType {
  GENESIS: GenesisBody
  JOIN: JoinBody
  OFFER: OfferBody
  LOCK: LockBody
  ACCEPT: AcceptBody
  FINALIZE: FinalizeBody
  WITHDRAW: WithdrawBody
  DISPUTE: DisputeBody
  APPEAL_DECISION: AppealDecisionBody
  RESOLVE: ResolveBody
}

type Validator<T> = (value: unknown, path: string) => T

/** Copies `value[key]` through `check` only when present, so absent stays absent (one JCS spelling). */
function optional<T>(obj: Record<string, unknown>, key: string, path: string, check: Validator<T>): { [k: string]: T } {
  return Object.hasOwn(obj, key) ? { [key]: check(obj[key], `${path}.${key}`) } : {}
}

/** `optional` in place: sets `out[key]` only when `obj` has it. For the hot bodies (OFFER), without a spread. */
function copyOptional<T>(
  out: Record<string, unknown>,
  obj: Record<string, unknown>,
  key: string,
  path: string,
  check: Validator<T>,
): void {
  if (Object.hasOwn(obj, key)) out[key] = check(obj[key], `${path}.${key}`)
}

const title = (v: unknown, p: string): string => text(v, p, 1, LIMITS.title)
const clauseText = (v: unknown, p: string): string => text(v, p, 1, LIMITS.clauseText)
const note = (v: unknown, p: string): string => text(v, p, 0, LIMITS.note)

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
  const op = oneOf((value as Record<string, unknown>).op, `${path}.op`, CHANGE_OPS)
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
  const o = exactObject(value, path, SET_REQUIRED, SET_OPTIONAL)
  if (!Object.hasOwn(o, 'title') && !Object.hasOwn(o, 'text')) fail(path, 'a set change needs title or text')
  const out: Record<string, unknown> = { op, clause: clauseId(o.clause, `${path}.clause`) }
  copyOptional(out, o, 'title', path, title)
  copyOptional(out, o, 'text', path, clauseText)
  return out as unknown as ClauseChange
}

const SET_REQUIRED = ['op', 'clause'] as const
const SET_OPTIONAL = ['title', 'text'] as const
const CHANGE_OPS = ['set', 'add', 'remove'] as const
const OFFER_REQUIRED = ['base', 'changes'] as const
const OFFER_OPTIONAL = ['note'] as const

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

export const BODY_VALIDATORS: { [T in MessageType]: Validator<BodyByType[T]> } = {
  GENESIS: genesis,
  JOIN: (value, path) => {
    const o = exactObject(value, path, ['feed'])
    return { feed: hash(o.feed, `${path}.feed`) }
  },
  OFFER: (value, path) => {
    const o = exactObject(value, path, OFFER_REQUIRED, OFFER_OPTIONAL)
    const base = hash(o.base, `${path}.base`)
    const raw = list(o.changes, `${path}.changes`, 1, LIMITS.changes)
    const changes: ClauseChange[] = []
    for (let i = 0; i < raw.length; i++) changes.push(change(raw[i], `${path}.changes[${i}]`))
    const out: Record<string, unknown> = { base, changes }
    copyOptional(out, o, 'note', path, note)
    return out as unknown as OfferBody
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
