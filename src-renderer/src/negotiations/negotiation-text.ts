/**
 * Words for what the core reports about a negotiation (DESIGN section 4): each
 * status, message type, rejection reason and waiting step, said to a person.
 * DOM-free, so tests can check every status and reason has one.
 */
import type { MessageType, NegotiationStatus, NegotiationSummary } from '../../../src-main/api.js'

export type Tone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger'

export const STATUS_TEXT: Record<NegotiationStatus, { label: string; tone: Tone; meaning: string }> = {
  INITIATED: { label: 'Waiting to start', tone: 'neutral', meaning: 'Not everyone has joined yet. Nothing can be offered until they have.' },
  NEGOTIATING: { label: 'Negotiating', tone: 'accent', meaning: 'The terms are open: counter-offer, lock clauses you agree on, or accept the terms.' },
  CONSENSUS_REACHED: {
    label: 'Consensus reached',
    tone: 'accent',
    meaning: 'Enough parties accepted these terms. Finalizing signs them as binding; a new offer reopens them.',
  },
  BINDING: { label: 'Binding', tone: 'success', meaning: 'The terms are signed and can no longer change. A signer may still open a dispute.' },
  DISPUTED: { label: 'Disputed', tone: 'warning', meaning: 'A signer disputed the agreement. The arbiters decide, or every signer settles.' },
  RESOLVED: { label: 'Resolved', tone: 'success', meaning: 'The dispute is closed. The binding agreement itself stays on record.' },
  EXPIRED: { label: 'Expired', tone: 'danger', meaning: 'The deadline passed before the terms became binding. Nothing more can be signed.' },
  WITHDRAWN: { label: 'Withdrawn', tone: 'danger', meaning: 'Too few parties remain to reach the required consensus. It is over.' },
}

export const ALL_STATUSES = Object.keys(STATUS_TEXT) as NegotiationStatus[]

export const MESSAGE_TEXT: Record<MessageType, string> = {
  GENESIS: 'Started the negotiation',
  JOIN: 'Joined',
  OFFER: 'Offered new terms',
  LOCK: 'Locked a clause',
  ACCEPT: 'Accepted the terms',
  FINALIZE: 'Finalized the terms',
  WITHDRAW: 'Withdrew',
  DISPUTE: 'Disputed the agreement',
  APPEAL_DECISION: 'Decided the appeal',
  RESOLVE: 'Proposed a settlement',
}

/** Why the fold rejected a message (its reason codes), in words. Unknown codes show as they are. */
const REASONS: Record<string, string> = {
  SUPERSEDED: 'it changed terms that had already been replaced by another offer',
  CLAUSE_LOCKED: 'it touched a clause that was locked',
  IMMUTABLE: 'the agreement was already binding',
  LATE: 'it was signed after the deadline',
  EQUIVOCATION: 'its author signed a different message in the same place (equivocation)',
  STALE_TERMS: 'it named terms that were no longer current',
  DUPLICATE_ACTION: 'its author had done this already',
  AUTHOR_WITHDRAWN: 'its author had withdrawn',
  FINAL: 'the negotiation was already over',
  WRONG_STATE: 'it was not possible in the status at that point',
  NOT_PARTICIPANT: 'its author is not a party of this negotiation',
  NOT_SIGNER: 'only a signer of the binding agreement may do this',
  WRONG_DISPUTE: 'it named a dispute that is not the open one',
  BAD_SIGNATURE: 'its signature does not verify: it was not signed by its claimed author',
  MISSING_REF: 'a message it builds on has not arrived yet',
  BAD_SEQ: 'it is out of its author’s sequence',
  BAD_LAMPORT: 'its logical clock does not follow the messages it builds on',
  UNKNOWN_CLAUSE: 'it named a clause that does not exist',
  CLAUSE_EXISTS: 'it added a clause whose id is taken',
  TERMS_LIMIT: 'the terms would have had no clauses, or more than 50',
  NO_CHANGE: 'it did not change the terms',
  DUPLICATE: 'it is a copy of a message already here',
  NO_VALID_GENESIS: 'the negotiation it belongs to is not valid',
  NO_GENESIS: 'the negotiation’s first message is missing',
  BAD_GENESIS: 'the negotiation’s first message breaks the rules',
  BAD_GENESIS_SIGNATURE: 'the negotiation’s first message is not correctly signed',
  WRONG_NEGOTIATION: 'it belongs to another negotiation',
  FEED_AUTHOR_MISMATCH: 'it arrived on another party’s feed',
}

export function describeReason(code: string): string {
  return REASONS[code] ?? `the fold refused it (${code})`
}

export function waitingText(step: NegotiationSummary['waitingFor']): string {
  switch (step) {
    case 'join':
      return 'to join'
    case 'accept':
      return 'to accept the terms'
    case 'finalize':
      return 'to finalize'
    default:
      return ''
  }
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "3 days 4 hours left", "12 minutes left", "ended 2 hours ago": coarse enough to read at a glance. */
export function describeCountdown(untilMs: number, nowMs: number): string {
  const ms = untilMs - nowMs
  const span = Math.abs(ms)
  let text: string
  if (span >= 2 * DAY) text = plural(Math.floor(span / DAY), 'day')
  else if (span >= DAY) text = `1 day ${plural(Math.floor((span - DAY) / HOUR), 'hour')}`
  else if (span >= 2 * HOUR) text = plural(Math.floor(span / HOUR), 'hour')
  else if (span >= HOUR) text = `1 hour ${plural(Math.floor((span - HOUR) / MINUTE), 'minute')}`
  else if (span >= MINUTE) text = plural(Math.floor(span / MINUTE), 'minute')
  else text = plural(Math.max(0, Math.floor(span / 1000)), 'second')
  return ms >= 0 ? `${text} left` : `ended ${text} ago`
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`
}

/** A hash cut for a glance (the full one is always one click or one line away). */
export function shortHash(hash: string): string {
  return `${hash.slice(0, 8)}…${hash.slice(-4)}`
}
