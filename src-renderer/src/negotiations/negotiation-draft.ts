/**
 * The new-negotiation form as data: the draft a person edits, its inline
 * validation (DESIGN section 3's limits and section 4's rule for k), and the
 * params of negotiations.create it becomes. DOM-free and pure; the core checks
 * everything again.
 */
import type { Clause, PublicKeyHex, TrustParams } from '../../../src-main/api.js'

export const CLAUSE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/
export const MAX_CLAUSES = 50
export const MAX_TITLE = 200
export const MAX_CLAUSE_TEXT = 4000
export const MAX_ARBITERS = 10

export interface ClauseDraft {
  /** A stable key for React while clauses move (never sent). */
  key: number
  id: string
  /** True once the person typed an id: it stops following the title. */
  idEdited: boolean
  title: string
  text: string
}

export interface Draft {
  title: string
  participants: PublicKeyHex[]
  clauses: ClauseDraft[]
  /** As typed; empty means "everyone" (n). */
  requiredConsensus: string
  /** A `datetime-local` value (local time, no zone). */
  deadline: string
  useArbiters: boolean
  arbiters: PublicKeyHex[]
  threshold: string
  appealWindowDays: string
}

export type DraftErrors = Partial<Record<'title' | 'participants' | 'clauses' | 'requiredConsensus' | 'deadline' | 'arbiters' | 'threshold' | 'appealWindowDays', string>> & {
  clause?: Record<number, Partial<Record<'id' | 'title' | 'text', string>>>
}

/** A clause id from a title: lowercase ASCII words joined by dashes, made unique against `taken`. */
export function clauseIdFrom(title: string, taken: ReadonlySet<string>): string {
  const base =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56)
      .replace(/-+$/, '') || 'clause'
  if (!taken.has(base)) return base
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`
}

/** k may be a majority up to everyone (DESIGN section 4): floor(n/2)+1 <= k <= n. */
export function consensusRange(n: number): { min: number; max: number } {
  return { min: Math.floor(n / 2) + 1, max: n }
}

/** `datetime-local` text for a time (the user's local clock), to the minute. */
export function localInputValue(ms: number): string {
  const d = new Date(ms)
  const pad = (v: number) => String(v).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

const DAY = 86_400_000

export function emptyDraft(now: number): Draft {
  return {
    title: '',
    participants: [],
    clauses: [{ key: 1, id: '', idEdited: false, title: '', text: '' }],
    requiredConsensus: '',
    deadline: localInputValue(now + 7 * DAY),
    useArbiters: false,
    arbiters: [],
    threshold: '1',
    appealWindowDays: '7',
  }
}

function whole(text: string): number | null {
  return /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : null
}

function length(text: string): number {
  return text.length // UTF-16 units, as DESIGN's limits count them
}

export function validateDraft(draft: Draft, now: number): DraftErrors {
  const errors: DraftErrors = {}
  const title = draft.title.trim()
  if (title === '') errors.title = 'Give the negotiation a title the other parties will recognise.'
  else if (length(title) > MAX_TITLE) errors.title = `At most ${MAX_TITLE} characters.`

  if (draft.participants.length === 0) errors.participants = 'Pick at least one counterparty from your contacts.'

  if (draft.clauses.length === 0) errors.clauses = 'Add at least one clause.'
  else if (draft.clauses.length > MAX_CLAUSES) errors.clauses = `At most ${MAX_CLAUSES} clauses.`
  const seen = new Set<string>()
  const clause: NonNullable<DraftErrors['clause']> = {}
  for (const c of draft.clauses) {
    const e: Partial<Record<'id' | 'title' | 'text', string>> = {}
    if (!CLAUSE_ID.test(c.id)) e.id = 'Use lowercase letters, digits, - and _, starting with a letter or digit.'
    else if (seen.has(c.id)) e.id = 'Another clause has this id.'
    seen.add(c.id)
    if (c.title.trim() === '') e.title = 'A clause needs a title.'
    else if (length(c.title.trim()) > MAX_TITLE) e.title = `At most ${MAX_TITLE} characters.`
    if (c.text.trim() === '') e.text = 'A clause needs its text.'
    else if (length(c.text) > MAX_CLAUSE_TEXT) e.text = `At most ${MAX_CLAUSE_TEXT} characters.`
    if (Object.keys(e).length > 0) clause[c.key] = e
  }
  if (Object.keys(clause).length > 0) errors.clause = clause

  const n = draft.participants.length + 1
  const { min, max } = consensusRange(n)
  if (draft.requiredConsensus.trim() !== '') {
    const k = whole(draft.requiredConsensus)
    if (k === null || k < min || k > max) {
      errors.requiredConsensus = min === max ? `With ${n} parties, all ${n} must agree.` : `With ${n} parties, choose ${min} to ${max} (a majority up to everyone).`
    }
  }

  const deadline = Date.parse(draft.deadline)
  if (Number.isNaN(deadline)) errors.deadline = 'Pick a date and time.'
  else if (deadline <= now) errors.deadline = 'The deadline must be in the future.'

  if (draft.useArbiters) {
    const overlap = draft.arbiters.some((a) => draft.participants.includes(a))
    if (draft.arbiters.length === 0) errors.arbiters = 'Pick at least one arbiter, or turn arbiters off.'
    else if (draft.arbiters.length > MAX_ARBITERS) errors.arbiters = `At most ${MAX_ARBITERS} arbiters.`
    else if (overlap) errors.arbiters = 'An arbiter cannot also be a party.'
    const t = whole(draft.threshold)
    if (t === null || t < 1 || t > Math.max(1, draft.arbiters.length)) errors.threshold = `Choose 1 to ${Math.max(1, draft.arbiters.length)}.`
    const w = whole(draft.appealWindowDays)
    if (w === null || w < 1 || w > 365) errors.appealWindowDays = 'Choose 1 to 365 days.'
  }
  return errors
}

export function hasErrors(errors: DraftErrors): boolean {
  return Object.keys(errors).length > 0
}

export function createParams(draft: Draft): TrustParams<'negotiations.create'> {
  const clauses: Clause[] = draft.clauses.map((c) => ({ id: c.id, title: c.title.trim(), text: c.text }))
  const k = draft.requiredConsensus.trim()
  return {
    title: draft.title.trim(),
    participants: [...draft.participants],
    clauses,
    ...(k === '' ? {} : { requiredConsensus: Number(k) }),
    deadline: new Date(Date.parse(draft.deadline)).toISOString(),
    ...(draft.useArbiters
      ? { arbiters: { keys: [...draft.arbiters], threshold: Number(draft.threshold) }, appealWindowDays: Number(draft.appealWindowDays) }
      : {}),
  }
}
