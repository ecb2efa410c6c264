/**
 * The body of each action the user takes (DESIGN section 3, "Bodies"), built from
 * the user's parameters and the current state, with every refusal the fold would
 * make raised here first, before anything is signed (DESIGN section 11).
 */
import { isHex } from '../crypto/hex.js'
import { TrustError } from '../errors.js'
import { BODY_VALIDATORS, type BodyByType } from '../protocol/body-schemas.js'
import type { NegotiationState } from '../protocol/fold/state.js'
import { Terms, clauseHash } from '../protocol/terms.js'
import { refuse } from './action-guard.js'

/** Envelope-schema errors on what the user typed are input errors, not a peer's bad envelope. */
export function asUserInput<T>(what: string, build: () => T): T {
  try {
    return build()
  } catch (err) {
    if (err instanceof TrustError && (err.code === 'BAD_ENVELOPE' || err.code === 'INVALID_NEGOTIATION')) {
      throw TrustError.invalidInput(`${what}: ${err.message.replace(/^[A-Z_]+: /, '')}`, err.detail as Record<string, unknown>)
    }
    throw err
  }
}

function params(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw TrustError.invalidInput(`${what} needs an object of parameters`)
  return value as Record<string, unknown>
}

/** DESIGN section 11: accept and finalize name the terms the user saw (and an offer or a lock may). */
function currentTerms(state: NegotiationState, termsHash: unknown, field = 'termsHash'): string {
  if (!isHex(termsHash, 32)) throw TrustError.invalidInput(`${field} must be 64 lowercase hex characters`, { field })
  if (termsHash !== state.termsHash) {
    throw new TrustError('STALE_TERMS', 'the terms changed since you read them: review the current terms first', {
      named: termsHash,
      current: state.termsHash,
    })
  }
  return termsHash
}

function openDispute(state: NegotiationState, named: unknown): string {
  const open = state.appeal?.dispute
  if (named === undefined) return open!
  if (!isHex(named, 32)) throw TrustError.invalidInput('dispute must be 64 lowercase hex characters')
  if (named !== open) throw refuse('WRONG_DISPUTE', state.status)
  return named
}

export const ACTION_BODIES = {
  JOIN(state: NegotiationState, input: unknown): BodyByType['JOIN'] {
    const p = params(input, 'join')
    if (!isHex(p.feed, 32)) throw TrustError.invalidInput('feed must be the 64 lowercase hex key of your Hypercore feed')
    return { feed: p.feed }
  },

  OFFER(state: NegotiationState, input: unknown): BodyByType['OFFER'] {
    const p = params(input, 'offer')
    if (p.base !== undefined) currentTerms(state, p.base, 'base')
    const raw = { base: state.termsHash, changes: p.changes, ...(p.note === undefined ? {} : { note: p.note }) }
    const body = asUserInput('offer', () => BODY_VALIDATORS.OFFER(raw, 'offer'))
    const result = Terms.of(state.clauses).apply(body.changes, new Set(state.lockedClauses))
    if (!result.ok) throw refuse(result.problem, state.status, `clause ${JSON.stringify(result.clause)}`)
    return body
  },

  LOCK(state: NegotiationState, input: unknown): BodyByType['LOCK'] {
    const p = params(input, 'lock')
    const clause = state.clauses.find((c) => c.id === p.clause)
    if (clause === undefined) throw TrustError.notFound(`clause ${JSON.stringify(p.clause)}`)
    const textHash = clauseHash(clause)
    if (p.textHash !== undefined) {
      if (!isHex(p.textHash, 32)) throw TrustError.invalidInput('textHash must be 64 lowercase hex characters', { field: 'textHash' })
      if (p.textHash !== textHash) {
        throw new TrustError('STALE_TERMS', 'the clause changed since you read it: review its current text first', {
          named: p.textHash,
          current: textHash,
        })
      }
    }
    return { clause: clause.id, textHash }
  },

  ACCEPT(state: NegotiationState, input: unknown): BodyByType['ACCEPT'] {
    return { termsHash: currentTerms(state, params(input, 'accept').termsHash) }
  },

  FINALIZE(state: NegotiationState, input: unknown): BodyByType['FINALIZE'] {
    return { termsHash: currentTerms(state, params(input, 'finalize').termsHash) }
  },

  WITHDRAW(_state: NegotiationState, input: unknown): BodyByType['WITHDRAW'] {
    const p = params(input, 'withdraw')
    return asUserInput('withdraw', () => BODY_VALIDATORS.WITHDRAW(p.reason === undefined ? {} : { reason: p.reason }, 'withdraw'))
  },

  DISPUTE(_state: NegotiationState, input: unknown): BodyByType['DISPUTE'] {
    const p = params(input, 'dispute')
    const raw = { reason: p.reason, ...(p.evidence === undefined ? {} : { evidence: p.evidence }) }
    return asUserInput('dispute', () => BODY_VALIDATORS.DISPUTE(raw, 'dispute'))
  },

  APPEAL_DECISION(state: NegotiationState, input: unknown): BodyByType['APPEAL_DECISION'] {
    const p = params(input, 'decide')
    const raw = {
      dispute: openDispute(state, p.dispute),
      outcome: p.outcome,
      ...(p.remedy === undefined ? {} : { remedy: p.remedy }),
    }
    return asUserInput('decide', () => BODY_VALIDATORS.APPEAL_DECISION(raw, 'decide'))
  },

  RESOLVE(state: NegotiationState, input: unknown): BodyByType['RESOLVE'] {
    const p = params(input, 'resolve')
    const raw = { dispute: openDispute(state, p.dispute), settlement: p.settlement }
    return asUserInput('resolve', () => BODY_VALIDATORS.RESOLVE(raw, 'resolve'))
  },
} as const
