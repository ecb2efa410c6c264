/**
 * Envelope-level rules (DESIGN sections 3 and 4): a message takes its place in
 * its author's feed only when it is correctly signed, for this negotiation, by
 * someone allowed to send its type, at the author's next seq, with every ref a
 * correctly signed message of this negotiation below its lamport. A feed entry
 * may still be illegal in the current state (apply-message.ts); it keeps its seq
 * either way, so the author's next message can follow it.
 */
import type { FoldInput } from '../envelope-check.js'
import type { RejectReason } from './reasons.js'
import type { WorkingState } from './working-state.js'

export function admitToFeed(ws: WorkingState, input: FoldInput): RejectReason | null {
  const env = input.envelope
  if (!input.sigValid) return 'BAD_SIGNATURE'
  if (!belongsTo(input, ws.id)) return 'WRONG_NEGOTIATION'
  if (!mayAuthor(ws, env.type, env.author)) return 'NOT_PARTICIPANT'

  const feed = ws.feeds.get(env.author) ?? []
  if (feed[env.seq] !== undefined) {
    // Exact duplicates never get here, so this is a second, different envelope
    // for one (author, seq): signed evidence of equivocation (DESIGN section 3).
    ws.equivocators.add(env.author)
    return 'EQUIVOCATION'
  }

  let missing = false
  for (const ref of env.refs) {
    const target = ws.inputs.get(ref)
    if (target === undefined) {
      ws.waiting.add(ref)
      missing = true
    } else if (!target.sigValid || !belongsTo(target, ws.id)) {
      missing = true
    }
  }
  if (missing) return 'MISSING_REF'
  // lamport = 1 + the highest lamport among the refs (GENESIS has none and is 1).
  // "Above every ref" alone would let one participant sign lamport ~ 2^53 and
  // leave nobody able to follow a message that references it.
  let highest = 0
  for (const ref of env.refs) highest = Math.max(highest, ws.inputs.get(ref)!.envelope.lamport)
  if (env.refs.length > 0 && env.lamport !== highest + 1) return 'BAD_LAMPORT'

  if (env.seq !== feed.length) return 'BAD_SEQ'
  const previous = feed[env.seq - 1]
  if (previous !== undefined && !env.refs.includes(previous)) return 'BAD_SEQ'

  feed.push(input.hash)
  ws.feeds.set(env.author, feed)
  // Refs sort before the message (lower lamport), so a feed entry never
  // becomes referenced by one folded earlier: heads can be kept incrementally.
  for (const ref of env.refs) ws.heads.delete(ref)
  ws.heads.add(input.hash)
  if (env.lamport > ws.lastLamport) ws.lastLamport = env.lamport
  return null
}

/** The GENESIS itself, or a message naming this negotiation. */
function belongsTo(input: FoldInput, id: string): boolean {
  const env = input.envelope
  return env.type === 'GENESIS' ? input.hash === id : env.negotiation === id
}

function mayAuthor(ws: WorkingState, type: string, author: string): boolean {
  if (type === 'JOIN') return ws.participants.has(author) || ws.arbiters.has(author)
  if (type === 'APPEAL_DECISION') return ws.arbiters.has(author)
  return ws.participants.has(author)
}
