/**
 * The causal graph of a negotiation (DESIGN section 4): every correctly signed
 * message of this negotiation is a node and its present refs are its parents.
 * The fold order (lamport, hash) is a linear extension of it. The fold judges a
 * binding against the causal past of its finalizations and settles
 * equivocation by who built on which version, so it needs "what is in the past
 * of these messages" and "who first built on this one"; both are answered here.
 * Built only when needed: a history where nobody equivocated and every
 * FINALIZE saw everything before it never asks (fold-set.ts).
 */
import type { GenesisBody } from '../body-schemas.js'
import type { FoldInput } from '../envelope-check.js'

export class CausalGraph {
  /** Every input, in fold order. */
  readonly order: readonly FoldInput[]
  private readonly id: string
  private readonly genesis: GenesisBody
  private positionCache: Map<string, number> | null = null
  private parentsCache: number[][] | null = null
  private admissibleCache: Uint8Array | null = null
  private childrenCache: number[][] | null = null

  /** `order` must be sorted for the fold (order.ts). */
  constructor(id: string, genesis: GenesisBody, order: readonly FoldInput[]) {
    this.id = id
    this.genesis = genesis
    this.order = order
  }

  get size(): number {
    return this.order.length
  }

  get position(): ReadonlyMap<string, number> {
    if (this.positionCache === null) {
      const position = new Map<string, number>()
      this.order.forEach((input, i) => position.set(input.hash, i))
      this.positionCache = position
    }
    return this.positionCache
  }

  /** Per position: the positions of its refs that are nodes (absent refs are left out). */
  get parents(): readonly (readonly number[])[] {
    if (this.parentsCache === null) this.link()
    return this.parentsCache!
  }

  /**
   * Per position, 1 when the message passes every check that does not depend on
   * the state: correctly signed, of this negotiation, by an allowed author, every
   * ref a node, lamport one above its refs. Only such a message can take a seq.
   */
  get admissible(): Uint8Array {
    if (this.admissibleCache === null) this.link()
    return this.admissibleCache!
  }

  /** Per position, the positions that list it among their refs. */
  get children(): readonly (readonly number[])[] {
    if (this.childrenCache === null) {
      const children: number[][] = Array.from({ length: this.order.length }, () => [])
      this.parents.forEach((ps, i) => {
        for (const p of ps) children[p]!.push(i)
      })
      this.childrenCache = children
    }
    return this.childrenCache
  }

  /** Marks the causal past of `from` (the messages themselves included). */
  pastOf(from: Iterable<number>): Uint8Array {
    const parents = this.parents
    const mark = new Uint8Array(this.order.length)
    const stack: number[] = []
    for (const i of from) {
      if (mark[i] === 0) {
        mark[i] = 1
        stack.push(i)
      }
    }
    while (stack.length > 0) {
      const i = stack.pop()!
      for (const p of parents[i]!) {
        if (mark[p] === 0) {
          mark[p] = 1
          stack.push(p)
        }
      }
    }
    return mark
  }

  private link(): void {
    const n = this.order.length
    const position = this.position
    const node = new Uint8Array(n)
    for (let i = 0; i < n; i++) node[i] = isNode(this.order[i]!, this.id) ? 1 : 0
    const participants = new Set(this.genesis.participants)
    const arbiters = new Set(this.genesis.arbiters?.keys ?? [])
    const parents: number[][] = new Array(n)
    const admissible = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const input = this.order[i]!
      const own: number[] = []
      let complete = true
      let highest = 0
      for (const ref of input.envelope.refs) {
        const p = position.get(ref)
        if (p === undefined || node[p] === 0) {
          complete = false
          continue
        }
        own.push(p)
        highest = Math.max(highest, this.order[p]!.envelope.lamport)
      }
      parents[i] = node[i] === 1 ? own : []
      if (node[i] === 0 || !complete) continue
      const env = input.envelope
      if (input.hash === this.id) admissible[i] = 1
      else if (mayAuthor(participants, arbiters, env.type, env.author) && env.lamport === highest + 1) admissible[i] = 1
    }
    this.parentsCache = parents
    this.admissibleCache = admissible
  }
}

/** The GENESIS itself, or a correctly signed message naming this negotiation: something a ref may point at. */
function isNode(input: FoldInput, id: string): boolean {
  if (!input.sigValid) return false
  const env = input.envelope
  return env.type === 'GENESIS' ? input.hash === id : env.negotiation === id
}

export function mayAuthor(participants: ReadonlySet<string>, arbiters: ReadonlySet<string>, type: string, author: string): boolean {
  if (type === 'JOIN') return participants.has(author) || arbiters.has(author)
  if (type === 'APPEAL_DECISION') return arbiters.has(author)
  return participants.has(author)
}

/** The same admission as CausalGraph's, for one message against a lookup of the others. */
export function isAdmissible(
  input: FoldInput,
  lookup: ReadonlyMap<string, FoldInput>,
  id: string,
  participants: ReadonlySet<string>,
  arbiters: ReadonlySet<string>,
): boolean {
  if (!isNode(input, id)) return false
  if (input.hash === id) return true
  const env = input.envelope
  if (!mayAuthor(participants, arbiters, env.type, env.author)) return false
  let highest = 0
  for (const ref of env.refs) {
    const target = lookup.get(ref)
    if (target === undefined || !isNode(target, id)) return false
    highest = Math.max(highest, target.envelope.lamport)
  }
  return env.lamport === highest + 1
}
