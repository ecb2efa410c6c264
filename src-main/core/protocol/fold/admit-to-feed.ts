/**
 * Envelope-level rules (DESIGN sections 3 and 4): a message takes its place in
 * its author's feed only when it is correctly signed, for this negotiation, by
 * someone allowed to send its type, with every ref a correctly signed message
 * of this negotiation below its lamport (admissible: none of this depends on
 * the state), and then at the author's next seq on top of its previous entry.
 * Where the author signed two admissible versions of one seq, the fork choice
 * says which holds it (fork-choice.ts); every other version is EQUIVOCATION.
 * A feed entry may still be illegal in the current state (apply-message.ts);
 * it keeps its seq either way, so the author's next message can follow it.
 */
import type { FoldInput } from '../envelope-check.js'
import { mayAuthor } from './causal-graph.js'
import type { RejectReason } from './reasons.js'
import type { WorkingState } from './working-state.js'

export function admitToFeed(ws: WorkingState, input: FoldInput): RejectReason | null {
  const env = input.envelope
  if (!input.sigValid) return 'BAD_SIGNATURE'
  if (!belongsTo(input, ws.id)) return 'WRONG_NEGOTIATION'
  if (!mayAuthor(ws.participants, ws.arbiters, env.type, env.author)) return 'NOT_PARTICIPANT'

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

  // Admissible from here: a second, different version of an (author, seq) is
  // signed evidence of equivocation (DESIGN section 3). The fork choice names
  // the holder where the versions were seen by others; elsewhere the first
  // version in this fold's order holds it.
  const feed = ws.feeds.get(env.author) ?? []
  const holder = ws.slots.holder(env.author, env.seq)
  if ((holder !== undefined && holder !== input.hash) || feed[env.seq] !== undefined) {
    ws.equivocators.add(env.author)
    return 'EQUIVOCATION'
  }
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
