/**
 * The incremental fold. A message that sorts after everything folded so far is
 * applied in place; one that sorts before (a late arrival), or that an earlier
 * message was waiting for as a ref, re-folds from scratch. So the result is
 * always exactly fold() of the same set (DESIGN section 4: same set, same state,
 * any arrival order), and the usual case costs one step, not a whole re-fold.
 */
import { TrustError } from '../../errors.js'
import { isHex } from '../../crypto/hex.js'
import type { FoldInput } from '../envelope-check.js'
import type { EnvelopeOf } from '../envelope-schema.js'
import { genesisProblem } from '../envelope-schema.js'
import { applyInput } from './apply-message.js'
import type { NextMessage } from './next-message.js'
import { nextMessage } from './next-message.js'
import { compareFoldOrder, sortForFold } from './order.js'
import type { InvalidReason } from './reasons.js'
import type { Terms } from '../terms.js'
import { invalidSnapshot, snapshot } from './snapshot.js'
import type { NegotiationState, NegotiationStatus } from './state.js'
import type { Verdict } from './verdict.js'
import { DUPLICATE, rejected } from './verdict.js'
import type { WorkingState } from './working-state.js'
import { initialState } from './working-state.js'

export class NegotiationFolder {
  readonly negotiation: string
  private readonly inputs = new Map<string, FoldInput>()
  private ws: WorkingState | null = null
  private invalid: InvalidReason = 'NO_GENESIS'
  /** The last message folded, in fold order. */
  private last: FoldInput | null = null

  constructor(negotiation: string) {
    if (!isHex(negotiation, 32)) throw TrustError.invalidInput('a negotiation id is 64 lowercase hex characters')
    this.negotiation = negotiation
  }

  /** Folds one message and returns its verdict (it may re-fold the others). */
  apply(input: FoldInput): Verdict {
    if (this.inputs.has(input.hash)) return DUPLICATE
    this.inputs.set(input.hash, input)
    const ws = this.ws
    if (ws === null) {
      if (input.hash === this.negotiation) this.refold()
      return this.verdict(input.hash)!
    }
    if (ws.waiting.has(input.hash) || (this.last !== null && compareFoldOrder(input, this.last) < 0)) {
      this.refold()
    } else {
      applyInput(ws, input)
      this.last = input
    }
    return this.verdict(input.hash)!
  }

  /** Adds many messages and folds once. */
  applyAll(inputs: Iterable<FoldInput>): void {
    for (const input of inputs) if (!this.inputs.has(input.hash)) this.inputs.set(input.hash, input)
    this.refold()
  }

  /** The verdict on a message already given to the folder; undefined for an unknown hash. */
  verdict(hash: string): Verdict | undefined {
    if (!this.inputs.has(hash)) return undefined
    if (this.ws !== null) return this.ws.verdicts.get(hash)
    const input = this.inputs.get(hash)!
    if (hash !== this.negotiation) return rejected('NO_VALID_GENESIS')
    return rejected(input.sigValid ? 'BAD_GENESIS' : 'BAD_SIGNATURE')
  }

  /** The full state, with EXPIRED and LAPSED evaluated at `now` (ms since the epoch). */
  state(now: number): NegotiationState {
    checkNow(now)
    if (this.ws === null) return invalidSnapshot(this.negotiation, this.invalid, sortForFold(this.inputs.values()))
    return snapshot(this.ws, now)
  }

  /** Cheap accessors for callers that act on every message (no snapshot). */
  get valid(): boolean {
    return this.ws !== null
  }

  get termsHash(): string | undefined {
    return this.ws?.terms.hash
  }

  /** The current terms (immutable). */
  get terms(): Terms | undefined {
    return this.ws?.terms
  }

  /** The status as folded, before EXPIRED/LAPSED at a given time are considered. */
  get foldStatus(): Exclude<NegotiationStatus, 'EXPIRED'> | undefined {
    return this.ws?.status
  }

  get size(): number {
    return this.inputs.size
  }

  /** Feed entries no other feed entry refers to, sorted. */
  get heads(): string[] {
    return this.ws === null ? [] : [...this.ws.heads].sort()
  }

  get lastLamport(): number {
    return this.ws?.lastLamport ?? 0
  }

  /** The hash of `author`'s last feed entry, if it has one. */
  feedTip(author: string): string | undefined {
    const feed = this.ws?.feeds.get(author)
    return feed?.[feed.length - 1]
  }

  /** seq, lamport and refs for `author`'s next message (DESIGN section 3). */
  nextFor(author: string): NextMessage {
    if (this.ws === null) throw new TrustError('INVALID_NEGOTIATION', 'the negotiation has no valid GENESIS')
    const feed = this.ws.feeds.get(author)
    return nextMessage(this.ws.heads, this.ws.lastLamport, feed?.length ?? 0, feed?.[feed.length - 1])
  }

  private refold(): void {
    this.ws = null
    this.last = null
    const genesis = this.inputs.get(this.negotiation)
    if (genesis === undefined) {
      this.invalid = 'NO_GENESIS'
      return
    }
    if (!genesis.sigValid) {
      this.invalid = 'BAD_GENESIS_SIGNATURE'
      return
    }
    if (genesis.envelope.type !== 'GENESIS' || genesisProblem(genesis.envelope as EnvelopeOf<'GENESIS'>) !== null) {
      this.invalid = 'BAD_GENESIS'
      return
    }
    const ws = initialState(genesis, this.inputs)
    const ordered = sortForFold(this.inputs.values())
    for (const input of ordered) applyInput(ws, input)
    this.ws = ws
    this.last = ordered[ordered.length - 1] ?? null
  }
}

function checkNow(now: number): void {
  if (!Number.isFinite(now)) throw TrustError.invalidInput('now must be a time in ms since the epoch')
}
