/**
 * A counter-offer as data: the terms as the person edited them, the OFFER
 * changes that produce them (DESIGN section 3: set, add, remove), and what
 * keeps them from being offered. DOM-free and pure.
 */
import type { Clause, ClauseChange } from '../../../src-main/api.js'
import { CLAUSE_ID, MAX_CLAUSE_TEXT, MAX_CLAUSES, MAX_TITLE } from './negotiation-draft.js'

export interface EditedClause extends Clause {
  /** Not in the current terms: added by this offer. */
  added: boolean
  removed: boolean
}

/** The OFFER changes that turn `terms` into `edited`, in terms order, additions last. */
export function changesFrom(terms: readonly Clause[], edited: readonly EditedClause[]): ClauseChange[] {
  const changes: ClauseChange[] = []
  for (const c of terms) {
    const e = edited.find((x) => x.id === c.id && !x.added)
    if (!e || e.removed) {
      changes.push({ op: 'remove', clause: c.id })
      continue
    }
    const patch: ClauseChange = { op: 'set', clause: c.id }
    if (e.title !== c.title) patch.title = e.title
    if (e.text !== c.text) patch.text = e.text
    if (patch.title !== undefined || patch.text !== undefined) changes.push(patch)
  }
  for (const e of edited) if (e.added && !e.removed) changes.push({ op: 'add', clause: e.id, title: e.title, text: e.text })
  return changes
}

/** Why the edited terms cannot be offered, or null. */
export function offerProblem(clauses: readonly EditedClause[], terms: readonly Clause[]): string | null {
  const kept = clauses.filter((c) => !c.removed)
  if (kept.length === 0) return 'The terms need at least one clause.'
  if (kept.length > MAX_CLAUSES) return `The terms can have at most ${MAX_CLAUSES} clauses.`
  const ids = new Set(terms.map((c) => c.id))
  for (const c of kept) {
    if (c.title.trim() === '' || c.text.trim() === '') return `Clause ${c.id || '(new)'} needs a title and a text.`
    if (c.title.length > MAX_TITLE || c.text.length > MAX_CLAUSE_TEXT) return `Clause ${c.id} is too long.`
    if (c.added && (!CLAUSE_ID.test(c.id) || ids.has(c.id))) return `The new clause “${c.title}” needs an id of its own.`
    if (c.added) ids.add(c.id)
  }
  return null
}

