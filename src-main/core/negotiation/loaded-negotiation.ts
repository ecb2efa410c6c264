/**
 * One negotiation held in memory: its incremental folder plus what the messages
 * table says about each envelope, so a new message costs one fold step and the
 * verdicts it changes (after a late arrival re-folds) can be written back.
 */
import { TrustError } from '../errors.js'
import type { FoldInput } from '../protocol/envelope.js'
import { parseEnvelope } from '../protocol/envelope.js'
import { NegotiationFolder } from '../protocol/fold/folder.js'
import { compareFoldOrder } from '../protocol/fold/order.js'
import type { Verdict as FoldVerdict } from '../protocol/fold/verdict.js'
import type { MessageRow, Verdict } from '../store/messages.js'

export interface KnownMessage {
  verdict: Verdict
  reason: string | null
  readonly type: string
  readonly author: string
  /** The feed key a JOIN names. */
  readonly feed: string | null
}

export interface LoadedNegotiation {
  readonly id: string
  readonly folder: NegotiationFolder
  /** The message latest in fold order; one sorting before it makes the folder re-fold. */
  last: FoldInput | null
  readonly messages: Map<string, KnownMessage>
  /** Hashes stored as `pending` (a ref not here yet): while any, every arrival re-folds. */
  readonly pending: Set<string>
}

/** Records a message's verdict in the loaded negotiation, keeping `pending` in step. */
export function remember(entry: LoadedNegotiation, hash: string, known: KnownMessage): void {
  entry.messages.set(hash, known)
  if (known.verdict === 'pending') entry.pending.add(hash)
  else entry.pending.delete(hash)
}

/**
 * MISSING_REF is stored as `pending`: the ref may still arrive on another feed,
 * and the folder re-folds when it does. Every other rejection is final.
 */
export function storedVerdict(v: FoldVerdict): { verdict: Verdict; reason: string | null } {
  if (v.status === 'applied') return { verdict: 'applied', reason: null }
  if (v.status === 'rejected') return { verdict: v.reason === 'MISSING_REF' ? 'pending' : 'rejected', reason: v.reason }
  return { verdict: 'rejected', reason: 'DUPLICATE' }
}

export function knownMessage(input: FoldInput, v: { verdict: Verdict; reason: string | null }): KnownMessage {
  const env = input.envelope
  const feed = env.type === 'JOIN' ? env.body.feed : null
  return { verdict: v.verdict, reason: v.reason, type: env.type, author: env.author, feed }
}

export function laterInFoldOrder(a: FoldInput | null, b: FoldInput): FoldInput {
  return a === null || compareFoldOrder(b, a) > 0 ? b : a
}

/** Folds the stored envelopes of one negotiation, trusting the stored signature check (it was strict at ingest). */
export function loadNegotiation(id: string, rows: readonly MessageRow[]): LoadedNegotiation {
  const folder = new NegotiationFolder(id)
  const messages = new Map<string, KnownMessage>()
  const pending = new Set<string>()
  const inputs: FoldInput[] = []
  let last: FoldInput | null = null
  for (const row of rows) {
    let input: FoldInput
    try {
      input = { ...parseEnvelope(row.bytes), sigValid: row.sigValid }
    } catch (err) {
      throw new TrustError('DB_CORRUPT', `stored message ${row.hash} no longer parses: ${TrustError.from(err).message}`)
    }
    if (input.hash !== row.hash) throw new TrustError('DB_CORRUPT', `stored message ${row.hash} does not hash to its id`)
    inputs.push(input)
    messages.set(row.hash, knownMessage(input, { verdict: row.verdict, reason: row.reason }))
    if (row.verdict === 'pending') pending.add(row.hash)
    last = laterInFoldOrder(last, input)
  }
  folder.applyAll(inputs)
  return { id, folder, last, messages, pending }
}
