/**
 * Terms: the ordered clause list of a negotiation (DESIGN section 4), and the
 * hashes that name it (DESIGN section 3: SHA-256 lowercase hex of JCS of the value).
 * `Terms` is immutable and caches each clause's canonical form, so an OFFER
 * re-encodes only the clauses it touches.
 */
import { sha256Hex } from '../crypto/hash.js'
import { canonicalizeStrict } from './jcs.js'

export interface Clause {
  readonly id: string
  readonly title: string
  readonly text: string
}

export type ClauseChange =
  | { readonly op: 'set'; readonly clause: string; readonly title?: string; readonly text?: string }
  | { readonly op: 'add'; readonly clause: string; readonly title: string; readonly text: string }
  | { readonly op: 'remove'; readonly clause: string }

/** Most clauses the terms may hold after any OFFER (GENESIS has the same cap). */
export const MAX_CLAUSES = 50

/** Why an OFFER's changes cannot apply; these are fold reason codes too. */
export type ChangeProblem = 'UNKNOWN_CLAUSE' | 'CLAUSE_EXISTS' | 'CLAUSE_LOCKED' | 'TERMS_LIMIT' | 'NO_CHANGE'

export function clauseHash(clause: Clause): string {
  return sha256Hex(clauseCanonical(clause))
}

export function termsHash(clauses: readonly Clause[]): string {
  return sha256Hex(canonicalizeStrict(clauses.map((c) => ({ id: c.id, title: c.title, text: c.text }))))
}

function clauseCanonical(clause: Clause): string {
  return canonicalizeStrict({ id: clause.id, title: clause.title, text: clause.text })
}

interface Entry {
  readonly clause: Clause
  readonly canonical: string
  hash?: string
}

export class Terms {
  readonly hash: string
  private readonly entries: ReadonlyMap<string, Entry>

  private constructor(entries: Map<string, Entry>) {
    this.entries = entries
    // JCS of an array is '[' + JCS of each item joined by ',' + ']' (RFC 8785 3.2).
    let body = ''
    for (const entry of entries.values()) body += (body === '' ? '' : ',') + entry.canonical
    this.hash = sha256Hex('[' + body + ']')
  }

  static of(clauses: readonly Clause[]): Terms {
    const entries = new Map<string, Entry>()
    for (const c of clauses) {
      const clause = Object.freeze({ id: c.id, title: c.title, text: c.text })
      entries.set(clause.id, { clause, canonical: clauseCanonical(clause) })
    }
    return new Terms(entries)
  }

  get size(): number {
    return this.entries.size
  }

  get clauses(): Clause[] {
    return [...this.entries.values()].map((e) => e.clause)
  }

  get ids(): string[] {
    return [...this.entries.keys()]
  }

  has(id: string): boolean {
    return this.entries.has(id)
  }

  /** The textHash a LOCK must name: SHA-256 of JCS `{id, title, text}`. */
  clauseHash(id: string): string | undefined {
    const entry = this.entries.get(id)
    if (entry === undefined) return undefined
    entry.hash ??= sha256Hex(entry.canonical)
    return entry.hash
  }

  /**
   * Applies the changes in order, each seeing the result of the one before
   * (so `remove x` then `add x` moves x to the end). Any failing change rejects
   * the whole offer (DESIGN section 4: "rejected as a whole").
   */
  apply(
    changes: readonly ClauseChange[],
    locked: ReadonlySet<string>,
  ): { ok: true; terms: Terms } | { ok: false; problem: ChangeProblem; clause: string } {
    const next = new Map(this.entries)
    for (const change of changes) {
      const id = change.clause
      const current = next.get(id)
      if (change.op === 'add') {
        if (current !== undefined) return { ok: false, problem: 'CLAUSE_EXISTS', clause: id }
        const clause = Object.freeze({ id, title: change.title, text: change.text })
        next.set(id, { clause, canonical: clauseCanonical(clause) })
        continue
      }
      if (current === undefined) return { ok: false, problem: 'UNKNOWN_CLAUSE', clause: id }
      if (locked.has(id)) return { ok: false, problem: 'CLAUSE_LOCKED', clause: id }
      if (change.op === 'remove') {
        next.delete(id)
        continue
      }
      const clause = Object.freeze({
        id,
        title: change.title ?? current.clause.title,
        text: change.text ?? current.clause.text,
      })
      next.set(id, { clause, canonical: clauseCanonical(clause) })
    }
    if (next.size === 0 || next.size > MAX_CLAUSES) {
      return { ok: false, problem: 'TERMS_LIMIT', clause: changes[0]?.clause ?? '' }
    }
    const terms = new Terms(next)
    if (terms.hash === this.hash) return { ok: false, problem: 'NO_CHANGE', clause: changes[0]?.clause ?? '' }
    return { ok: true, terms }
  }
}
