/**
 * The binding stands on its own causal past (DESIGN section 4). A quorum is k
 * FINALIZEs of one terms hash by distinct participants whose joint causal
 * past (the closure of their refs, themselves included) folds to BINDING with
 * exactly them as the signers. Messages none of them had seen, and forks of
 * such messages, are not in that past, so they cannot undo it: a signer who
 * signs something concurrent afterwards changes nothing that was bound.
 *
 * Quorums are found greedily in fold order, per terms hash: each FINALIZE is
 * folded together with the finalizations that counted so far; those that
 * still count after it form the next step. When several terms reach a quorum,
 * one that a participant left behind (it finalized other terms in another
 * quorum after seeing these) gives way; among the rest the earliest completed
 * binds.
 */
import type { CausalGraph } from './causal-graph.js'
import type { WorkingState } from './working-state.js'

export interface Quorum {
  readonly termsHash: string
  readonly bindingHash: string
  /** Signer -> position of the FINALIZE that counts. */
  readonly members: ReadonlyMap<string, number>
  /** Position of the FINALIZE that completed it. */
  readonly completion: number
  /** The messages whose joint past was folded: folding it again gives this binding. */
  readonly basis: readonly number[]
}

/** What the main pass (the fold of every message in fold order) learnt about one FINALIZE. */
export interface FinalizeRecord {
  /** Its causal past is every message before it, so the main pass folded exactly its past. */
  readonly sequential: boolean
  readonly applied: boolean
  /** Participant -> hash of the FINALIZE that counted right after it. */
  readonly counted: ReadonlyMap<string, string>
  readonly bound: boolean
  readonly bindingHash: string | null
}

export interface QuorumContext {
  readonly graph: CausalGraph
  /** Per position, 1 for an admissible message (causal-graph.ts), as the main pass found. */
  readonly admissible: Uint8Array
  readonly k: number
  readonly records: ReadonlyMap<number, FinalizeRecord>
  /** Folds the joint causal past of `basis` (with the fork choice: a version that lost is rejected there too). */
  jointFold(basis: readonly number[]): WorkingState
}

export function findQuorums(ctx: QuorumContext): Quorum[] {
  const { graph } = ctx
  const finalizes: number[] = []
  const authorsByTerms = new Map<string, Set<string>>()
  for (let i = 0; i < graph.size; i++) {
    const env = graph.order[i]!.envelope
    if (env.type !== 'FINALIZE' || ctx.admissible[i] === 0) continue
    finalizes.push(i)
    const terms = (env.body as { termsHash: string }).termsHash
    let authors = authorsByTerms.get(terms)
    if (authors === undefined) authorsByTerms.set(terms, (authors = new Set()))
    authors.add(env.author)
  }
  // Terms that fewer than k participants ever finalized cannot bind: most histories stop here.
  const open = new Set([...authorsByTerms].filter(([, authors]) => authors.size >= ctx.k).map(([terms]) => terms))
  const counting = new Map<string, Map<string, number>>()
  const quorums: Quorum[] = []
  for (const i of finalizes) {
    const input = graph.order[i]!
    const terms = (input.envelope.body as { termsHash: string }).termsHash
    if (!open.has(terms)) continue
    const basis = [...(counting.get(terms)?.values() ?? []), i]
    const record = ctx.records.get(i)
    let counted: ReadonlyMap<string, string>
    if (record?.sequential === true) {
      if (!record.applied) continue
      counted = record.counted
      if (record.bound) {
        quorums.push(quorumOf(graph, terms, record.bindingHash!, counted, i, [i]))
        open.delete(terms)
        continue
      }
    } else {
      const ws = ctx.jointFold(basis)
      if (ws.bindingHash !== null && ws.boundBy !== null && open.has(ws.terms.hash)) {
        quorums.push(quorumOf(graph, ws.terms.hash, ws.bindingHash, ws.finalizers, graph.position.get(ws.boundBy)!, basis))
        open.delete(ws.terms.hash)
        continue
      }
      if (ws.verdicts.get(input.hash)?.status !== 'applied') continue
      counted = ws.finalizers
    }
    counting.set(terms, new Map([...counted].map(([author, hash]) => [author, graph.position.get(hash)!])))
  }
  return quorums
}

/**
 * The quorum that binds: not left behind, then the earliest completed. A quorum
 * is left behind when one of its signers has, in another quorum, a FINALIZE
 * whose causal past holds the one it gave here: it saw these terms voided and
 * moved on (on one chain; a fork on another branch moved nowhere).
 */
export function chooseQuorum(graph: CausalGraph, quorums: readonly Quorum[]): Quorum | null {
  if (quorums.length === 0) return null
  const leftBehind = (q: Quorum): boolean =>
    quorums.some(
      (other) =>
        other !== q &&
        [...q.members].some(([author, p]) => {
          const later = other.members.get(author)
          return later !== undefined && later !== p && graph.pastOf([later])[p] === 1
        }),
    )
  const standing = quorums.filter((q) => !leftBehind(q))
  const pool = standing.length > 0 ? standing : quorums
  return pool.reduce((best, q) => (q.completion < best.completion ? q : best))
}

function quorumOf(
  graph: CausalGraph,
  termsHash: string,
  bindingHash: string,
  finalizers: ReadonlyMap<string, string>,
  completion: number,
  basis: readonly number[],
): Quorum {
  const members = new Map([...finalizers].map(([author, hash]) => [author, graph.position.get(hash)!]))
  return { termsHash, bindingHash, members, completion, basis }
}
