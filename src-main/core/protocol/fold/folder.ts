/**
 * The incremental fold. A message that sorts after everything folded so far,
 * and can change no earlier decision, is applied in place; anything else
 * re-folds the whole set (fold-set.ts): a late arrival, a ref someone was
 * waiting for, a second version of an (author, seq), a message that may be
 * the first to build on an equivocator's unseen versions, and a FINALIZE that
 * did not see everything before it (it may complete a quorum of its own). So
 * the result is always exactly fold() of the same set (DESIGN section 4: same
 * set, same state, any arrival order), and the usual case costs one step.
 */
import { TrustError } from '../../errors.js'
import { isHex } from '../../crypto/hex.js'
import type { FoldInput } from '../envelope-check.js'
import type { EnvelopeOf } from '../envelope-schema.js'
import { genesisProblem } from '../envelope-schema.js'
import { applyInput } from './apply-message.js'
import { isAdmissible } from './causal-graph.js'
import type { ForkChoice } from './fork-choice.js'
import { foldSet } from './fold-set.js'
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

const slotKey = (env: { author: string; seq: number }): string => `${env.author}:${env.seq}`

export class NegotiationFolder {
  readonly negotiation: string
  private readonly inputs = new Map<string, FoldInput>()
  private ws: WorkingState | null = null
  private choice: ForkChoice | null = null
  private invalid: InvalidReason = 'NO_GENESIS'
  /** The last message folded, in fold order. */
  private last: FoldInput | null = null
  /** Admissible messages no admissible message refers to. */
  private frontier = new Set<string>()
  /** Correctly signed messages by (author, seq): a second one may be a second version. */
  private readonly bySlot = new Map<string, number>()
  private refoldCount = 0

  constructor(negotiation: string) {
    if (!isHex(negotiation, 32)) throw TrustError.invalidInput('a negotiation id is 64 lowercase hex characters')
    this.negotiation = negotiation
  }

  /** Folds one message and returns its verdict (it may re-fold the others). */
  apply(input: FoldInput): Verdict {
    if (this.inputs.has(input.hash)) return DUPLICATE
    this.inputs.set(input.hash, input)
    const slot = input.sigValid ? slotKey(input.envelope) : null
    const sameSlot = slot === null ? 0 : (this.bySlot.get(slot) ?? 0)
    if (slot !== null) this.bySlot.set(slot, sameSlot + 1)
    const ws = this.ws
    if (ws === null) {
      if (input.hash === this.negotiation) this.refold()
      return this.verdict(input.hash)!
    }
    if (this.mustRefold(ws, input, sameSlot > 0)) {
      this.refold()
    } else {
      applyInput(ws, input)
      this.last = input
      if (isAdmissible(input, this.inputs, this.negotiation, ws.participants, ws.arbiters)) {
        for (const ref of input.envelope.refs) this.frontier.delete(ref)
        this.frontier.add(input.hash)
      }
    }
    return this.verdict(input.hash)!
  }

  /** Adds many messages and folds once. */
  applyAll(inputs: Iterable<FoldInput>): void {
    for (const input of inputs) {
      if (this.inputs.has(input.hash)) continue
      this.inputs.set(input.hash, input)
      if (input.sigValid) this.bySlot.set(slotKey(input.envelope), (this.bySlot.get(slotKey(input.envelope)) ?? 0) + 1)
    }
    this.refold()
  }

  /** How many times the whole set was re-folded: verdicts of earlier messages may have moved since. */
  get refolds(): number {
    return this.refoldCount
  }

  /** The verdict on a message already given to the folder; undefined for an unknown hash. */
  verdict(hash: string): Verdict | undefined {
    if (!this.inputs.has(hash)) return undefined
    if (this.ws !== null) return this.ws.verdicts.get(hash)
    const input = this.inputs.get(hash)!
    if (hash !== this.negotiation) return rejected('NO_VALID_GENESIS')
    return rejected(input.sigValid ? 'BAD_GENESIS' : 'BAD_SIGNATURE')
  }

  /** A message given to the folder, as parsed (its envelope, hash and signature check); undefined for an unknown hash. */
  input(hash: string): FoldInput | undefined {
    return this.inputs.get(hash)
  }

  /** The full state, with EXPIRED and LAPSED evaluated at `now` (ms since the epoch). */
  state(now: number): NegotiationState {
    checkNow(now)
    if (this.ws === null) return invalidSnapshot(this.negotiation, this.invalid, sortForFold(this.inputs.values()))
    return snapshot(this.ws, now, this.inputs)
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

  private mustRefold(ws: WorkingState, input: FoldInput, secondInSlot: boolean): boolean {
    if (ws.waiting.has(input.hash)) return true
    if (this.last !== null && compareFoldOrder(input, this.last) < 0) return true
    if (secondInSlot) return true
    const env = input.envelope
    // It may be the first message by someone else to build on an equivocator's unseen versions.
    for (const author of this.choice?.openFrom.keys() ?? []) if (author !== env.author) return true
    if (env.type !== 'FINALIZE') return false
    // A FINALIZE that saw everything before it is judged by the main pass in place;
    // one that did not may complete a quorum of its own (quorum.ts).
    if (!ws.bindable) return true
    return ![...this.frontier].every((h) => env.refs.includes(h))
  }

  private refold(): void {
    this.refoldCount++
    this.ws = null
    this.choice = null
    this.last = null
    this.frontier = new Set()
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
    const run = foldSet(genesis, this.inputs)
    this.ws = run.ws
    this.choice = run.choice
    this.frontier = new Set(run.frontier)
    let last: FoldInput | null = null
    for (const input of this.inputs.values()) if (last === null || compareFoldOrder(input, last) > 0) last = input
    this.last = last
  }
}

function checkNow(now: number): void {
  if (!Number.isFinite(now)) throw TrustError.invalidInput('now must be a time in ms since the epoch')
}
