/**
 * Equivocation settled by the others' view (DESIGN sections 4 and 5). Two
 * admissible envelopes by one author with one seq are equivocation: both are
 * kept as evidence and only one may hold the seq. Which one is not a matter of
 * sort order, which the equivocator controls by grinding hashes: the version
 * that another participant built on first (the earliest message, in fold
 * order, by anyone but its author with it in its causal past) holds the seq.
 * Support cannot be forged, since only the others' signatures give it, so a
 * version written after the fact never displaces one the others had seen.
 *
 * A seq none of whose versions anyone else has seen is left open, and so is
 * every later seq of that author (a later version's past holds a version of
 * every earlier seq): nothing tells such versions apart but their content, so
 * in each fold the first to arrive holds it. The state folds the binding's
 * causal past first (fold-set.ts), so a binding keeps its own versions.
 */
import type { CausalGraph } from './causal-graph.js'
import { compareFoldOrder } from './order.js'

export interface Equivocation {
  readonly author: string
  readonly seq: number
  /** Every admissible version of (author, seq), sorted. */
  readonly hashes: readonly string[]
}

const slotKey = (author: string, seq: number): string => `${author}:${seq}`

export class ForkChoice {
  readonly equivocations: readonly Equivocation[]
  readonly equivocators: ReadonlySet<string>
  /** Per equivocating author, the first seq whose versions nobody else has seen. */
  readonly openFrom: ReadonlyMap<string, number>
  private readonly holders: ReadonlyMap<string, string>

  static readonly NONE = new ForkChoice([], new Map(), new Map())

  private constructor(
    equivocations: Equivocation[],
    holders: Map<string, string>,
    openFrom: Map<string, number>,
  ) {
    this.equivocations = equivocations
    this.equivocators = new Set(equivocations.map((e) => e.author))
    this.holders = holders
    this.openFrom = openFrom
  }

  static of(graph: CausalGraph, genesisPosition: number): ForkChoice {
    if (!mayHaveTwoVersions(graph)) return ForkChoice.NONE
    const slots = versionsBySlot(graph)
    const equivocations: Equivocation[] = []
    for (const [author, bySeq] of slots) {
      for (const [seq, versions] of bySeq) {
        if (versions.length > 1) {
          equivocations.push({ author, seq, hashes: versions.map((v) => graph.order[v]!.hash).sort() })
        }
      }
    }
    if (equivocations.length === 0) return ForkChoice.NONE
    equivocations.sort((a, b) => (a.author < b.author ? -1 : a.author > b.author ? 1 : a.seq - b.seq))

    const support = new SupportIndex(graph)
    const creator = graph.order[genesisPosition]!.envelope.author
    const holders = new Map<string, string>()
    const openFrom = new Map<string, number>()
    for (const author of new Set(equivocations.map((e) => e.author))) {
      const bySeq = slots.get(author)!
      let last = 0
      for (const seq of bySeq.keys()) last = Math.max(last, seq)
      let previous = -1
      for (let seq = 0; seq <= last; seq++) {
        const versions = bySeq.get(seq) ?? []
        // A version holds seq only on top of the holder of seq - 1; the creator's seq 0 is the GENESIS.
        const chained =
          seq === 0
            ? author === creator
              ? [genesisPosition]
              : versions
            : versions.filter((v) => graph.parents[v]!.includes(previous))
        if (chained.length === 0) break
        let winner: number
        if (chained.length === 1) {
          winner = chained[0]!
        } else {
          const seen = chained
            .map((v) => ({ v, at: support.firstOtherThan(v, author) }))
            .filter((s) => s.at !== Infinity)
          if (seen.length === 0) {
            openFrom.set(author, seq)
            break
          }
          // Earliest support wins; one message supporting two versions breaks the tie by fold order.
          seen.sort((a, b) => a.at - b.at || compareFoldOrder(graph.order[a.v]!, graph.order[b.v]!))
          winner = seen[0]!.v
        }
        holders.set(slotKey(author, seq), graph.order[winner]!.hash)
        previous = winner
      }
    }
    return new ForkChoice(equivocations, holders, openFrom)
  }

  /** The version that must hold (author, seq); undefined where the first to arrive in a fold holds it. */
  holder(author: string, seq: number): string | undefined {
    return this.holders.get(slotKey(author, seq))
  }
}

/** Cheap screen, before any linking: two correctly signed messages with one (author, seq)? */
function mayHaveTwoVersions(graph: CausalGraph): boolean {
  const seen = new Map<string, Set<number>>()
  for (const input of graph.order) {
    if (!input.sigValid) continue
    const { author, seq } = input.envelope
    let seqs = seen.get(author)
    if (seqs === undefined) seen.set(author, (seqs = new Set()))
    if (seqs.has(seq)) return true
    seqs.add(seq)
  }
  return false
}

/** Admissible versions by author and seq, each list in fold order (the GENESIS counts as its creator's seq 0). */
function versionsBySlot(graph: CausalGraph): Map<string, Map<number, number[]>> {
  const slots = new Map<string, Map<number, number[]>>()
  for (let i = 0; i < graph.size; i++) {
    if (graph.admissible[i] === 0) continue
    const env = graph.order[i]!.envelope
    let bySeq = slots.get(env.author)
    if (bySeq === undefined) slots.set(env.author, (bySeq = new Map()))
    const list = bySeq.get(env.seq)
    if (list === undefined) bySeq.set(env.seq, [i])
    else list.push(i)
  }
  return slots
}

/**
 * For every message, the two earliest admissible messages (by fold position)
 * among it and its descendants whose authors differ: enough to answer "the
 * earliest descendant by anyone but A" for any A. Admissible authors are
 * participants and arbiters: an outsider's signature proves nothing.
 */
class SupportIndex {
  private readonly best: Int32Array // [first, second] per message, -1 when absent

  constructor(private readonly graph: CausalGraph) {
    const n = graph.size
    this.best = new Int32Array(2 * n).fill(-1)
    const children = graph.children
    for (let i = n - 1; i >= 0; i--) {
      const candidates: number[] = []
      if (graph.admissible[i] === 1) candidates.push(i)
      for (const c of children[i]!) {
        const a = this.best[2 * c]!
        const b = this.best[2 * c + 1]!
        if (a >= 0) candidates.push(a)
        if (b >= 0) candidates.push(b)
      }
      candidates.sort((x, y) => x - y)
      let first = -1
      for (const p of candidates) {
        if (first < 0) {
          first = p
          this.best[2 * i] = p
        } else if (this.authorAt(p) !== this.authorAt(first)) {
          this.best[2 * i + 1] = p
          break
        }
      }
    }
  }

  /** The fold position of the earliest descendant of `v` (not `v`) by anyone but `author`; Infinity if none. */
  firstOtherThan(v: number, author: string): number {
    let earliest = Infinity
    for (const c of this.graph.children[v]!) {
      for (const p of [this.best[2 * c]!, this.best[2 * c + 1]!]) {
        if (p >= 0 && this.authorAt(p) !== author) {
          earliest = Math.min(earliest, p)
          break
        }
      }
    }
    return earliest
  }

  private authorAt(p: number): string {
    return this.graph.order[p]!.envelope.author
  }
}
