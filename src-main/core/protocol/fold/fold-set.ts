/**
 * The fold of a whole set of messages (DESIGN section 4), in four steps:
 *   1. the fork choice settles every equivocated seq by who built on which
 *      version (fork-choice.ts);
 *   2. the main pass folds every message in fold order, noting for each
 *      FINALIZE whether its causal past is everything before it;
 *   3. the quorums: k FINALIZEs of one terms hash whose joint causal past
 *      binds with them (quorum.ts); the chosen one is the binding;
 *   4. with a binding, the state is the fold of the binding's causal past,
 *      then every other message in fold order on top of it (they see BINDING:
 *      what they had not seen cannot undo it). Without one, the main pass.
 * When nobody equivocated and every FINALIZE saw everything before it (the
 * usual case), the causal graph is never built, step 3 reads the main pass
 * and step 4 is the main pass itself.
 */
import type { EnvelopeOf } from '../envelope-schema.js'
import type { FoldInput } from '../envelope-check.js'
import { applyInput } from './apply-message.js'
import { CausalGraph } from './causal-graph.js'
import { ForkChoice } from './fork-choice.js'
import { sortForFold } from './order.js'
import type { FinalizeRecord } from './quorum.js'
import { chooseQuorum, findQuorums } from './quorum.js'
import type { RejectReason } from './reasons.js'
import type { WorkingState } from './working-state.js'
import { initialState } from './working-state.js'

export interface FoldRun {
  readonly ws: WorkingState
  readonly choice: ForkChoice
  /** Admissible messages no admissible message refers to (the set's causal frontier). */
  readonly frontier: ReadonlySet<string>
}

/** Envelope-level refusals that make a message inadmissible: it is no node of the graph's order, takes no seq. */
const INADMISSIBLE: ReadonlySet<RejectReason> = new Set(['BAD_SIGNATURE', 'WRONG_NEGOTIATION', 'NOT_PARTICIPANT', 'MISSING_REF', 'BAD_LAMPORT'])

export function foldSet(genesis: FoldInput, inputs: ReadonlyMap<string, FoldInput>): FoldRun {
  const body = (genesis.envelope as EnvelopeOf<'GENESIS'>).body
  const order = sortForFold(inputs.values())
  const graph = new CausalGraph(genesis.hash, body, order)
  const choice = ForkChoice.of(graph, order.indexOf(genesis))

  // Step 2: the main pass.
  const main = initialState(genesis, inputs, choice)
  const records = new Map<number, FinalizeRecord>()
  const admissible = new Uint8Array(order.length)
  const frontier = new Set<string>()
  for (let i = 0; i < order.length; i++) {
    const input = order[i]!
    const env = input.envelope
    const verdict = applyInput(main, input)
    if (verdict.status === 'rejected' && INADMISSIBLE.has(verdict.reason)) continue
    admissible[i] = 1
    if (env.type === 'FINALIZE') {
      records.set(i, {
        sequential: [...frontier].every((h) => env.refs.includes(h)),
        applied: verdict.status === 'applied',
        counted: new Map(main.finalizers),
        bound: main.boundBy === input.hash,
        bindingHash: main.bindingHash,
      })
    }
    for (const ref of env.refs) frontier.delete(ref)
    frontier.add(input.hash)
  }

  // Step 3: the quorums.
  const jointFold = (basis: readonly number[]): { ws: WorkingState; past: Uint8Array } => {
    const past = graph.pastOf(basis)
    const ws = initialState(genesis, inputs, choice)
    for (let i = 0; i < order.length; i++) if (past[i] === 1) applyInput(ws, order[i]!)
    return { ws, past }
  }
  const quorums = findQuorums({
    graph,
    admissible,
    k: main.k,
    records,
    jointFold: (basis) => jointFold(basis).ws,
  })
  const chosen = chooseQuorum(graph, quorums)

  // Step 4: the state.
  if (chosen === null) {
    if (main.bindingHash === null) return { ws: main, choice, frontier }
    // k finalizations in fold order whose joint past does not bind: not a binding.
    const unbound = initialState(genesis, inputs, choice, false)
    for (const input of order) applyInput(unbound, input)
    return { ws: unbound, choice, frontier }
  }
  if (records.get(chosen.completion)?.sequential === true && main.boundBy === order[chosen.completion]!.hash) {
    return { ws: main, choice, frontier }
  }
  const { ws, past } = jointFold(chosen.basis)
  for (let i = 0; i < order.length; i++) {
    if (past[i] === 1) continue
    applyInput(ws, order[i]!)
    ws.reordered = true
  }
  return { ws, choice, frontier }
}
