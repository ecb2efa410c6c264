/**
 * Fold order (DESIGN section 4): ascending (lamport, hash). Lamport is above
 * every ref's (section 3), so this is a causal order, and the hash breaks ties
 * the same way on every machine.
 */
interface Ordered {
  readonly hash: string
  readonly envelope: { readonly lamport: number }
}

export function compareFoldOrder(a: Ordered, b: Ordered): number {
  const d = a.envelope.lamport - b.envelope.lamport
  if (d !== 0) return d
  return a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0
}

export function sortForFold<T extends Ordered>(items: Iterable<T>): T[] {
  return [...items].sort(compareFoldOrder)
}
