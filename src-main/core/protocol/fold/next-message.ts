/**
 * What an author's next message must carry (DESIGN section 3): seq = the
 * length of its feed, refs = the heads it has seen plus its own previous
 * message, lamport = one above every feed entry seen.
 */
import { TrustError } from '../../errors.js'
import { MAX_REFS } from '../envelope-schema.js'
import type { NegotiationState } from './state.js'

export interface NextMessage {
  readonly seq: number
  readonly lamport: number
  /** Unique, ascending, at most MAX_REFS; always includes the author's previous message. */
  readonly refs: readonly string[]
}

export function nextMessage(
  heads: Iterable<string>,
  lastLamport: number,
  nextSeq: number,
  tip: string | undefined,
): NextMessage {
  const refs = new Set<string>()
  if (tip !== undefined) refs.add(tip)
  for (const head of [...heads].sort()) {
    if (refs.size >= MAX_REFS) break
    refs.add(head)
  }
  return { seq: nextSeq, lamport: lastLamport + 1, refs: [...refs].sort() }
}

/** nextMessage from a folded state, for callers that hold a snapshot. */
export function nextFor(state: NegotiationState, author: string): NextMessage {
  if (state.invalid !== undefined) throw new TrustError('INVALID_NEGOTIATION', 'the negotiation has no valid GENESIS')
  const feed = state.feeds[author]
  return nextMessage(state.heads, state.lastLamport, feed?.nextSeq ?? 0, feed?.tip)
}
