/**
 * One negotiation held in memory: its incremental folder plus what the messages
 * table says about each envelope, so a new message costs one fold step and the
 * verdicts it changes (whenever the folder re-folds) can be written back.
 */
import { TrustError } from '../errors.js'
import type { FoldInput } from '../protocol/envelope.js'
import { parseEnvelope } from '../protocol/envelope.js'
import { NegotiationFolder } from '../protocol/fold/folder.js'
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
  readonly messages: Map<string, KnownMessage>
}

/** Records a message's verdict in the loaded negotiation. */
export function remember(entry: LoadedNegotiation, hash: string, known: KnownMessage): void {
  entry.messages.set(hash, known)
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

/** Folds the stored envelopes of one negotiation, trusting the stored signature check (it was strict at ingest). */
export function loadNegotiation(id: string, rows: readonly MessageRow[]): LoadedNegotiation {
  const folder = new NegotiationFolder(id)
  const messages = new Map<string, KnownMessage>()
  const inputs: FoldInput[] = []
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
  }
  folder.applyAll(inputs)
  return { id, folder, messages }
}
