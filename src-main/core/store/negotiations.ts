/**
 * The negotiation table family of migration 003: negotiations, participants,
 * locks and appeals. These rows are a cache of the fold (DESIGN section 4) kept
 * for listing and for the jobs' queries; the envelopes in `messages` are the truth.
 */
import type { Db } from './database.js'

export interface NegotiationRow {
  id: string
  title: string
  status: string
  termsHash: string
  bindingHash: string | null
  /** The folded state as JSON, as last materialised. */
  stateJson: string
  createdAt: string
  updatedAt: string
  deadline: string
}

export interface ParticipantRow {
  publicKey: string
  role: 'participant' | 'arbiter'
  feedKey: string | null
}

export interface LockRow {
  clause: string
  textHash: string
}

export interface AppealRow {
  dispute: string
  due: string
  status: 'OPEN' | 'LAPSED' | 'DECIDED' | 'SETTLED'
  outcome: string | null
}

interface RawNegotiation {
  id: string
  title: string
  status: string
  terms_hash: string
  binding_hash: string | null
  state_json: string
  created_at: string
  updated_at: string
  deadline: string
}

function fromRaw(r: RawNegotiation): NegotiationRow {
  return {
    id: r.id,
    title: r.title,
    status: r.status,
    termsHash: r.terms_hash,
    bindingHash: r.binding_hash,
    stateJson: r.state_json,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deadline: r.deadline,
  }
}

const COLUMNS = 'id, title, status, terms_hash, binding_hash, state_json, created_at, updated_at, deadline'
/** DESIGN section 4: the states in which a deadline can still expire a negotiation. */
const OPEN_STATUSES = "('INITIATED','NEGOTIATING','CONSENSUS_REACHED')"

export class NegotiationStore {
  private readonly upsertStmt
  private readonly getStmt
  private readonly hasStmt
  private readonly listStmt
  private readonly dueStmt
  private readonly participantStmt
  private readonly participantsStmt
  private readonly deleteLocksStmt
  private readonly lockStmt
  private readonly locksStmt
  private readonly appealStmt
  private readonly appealsStmt
  private readonly appealsDueStmt

  constructor(db: Db) {
    this.upsertStmt = db.prepare(
      `INSERT INTO negotiations (${COLUMNS}) VALUES (@id, @title, @status, @termsHash, @bindingHash, @stateJson, @createdAt, @updatedAt, @deadline)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, terms_hash = excluded.terms_hash,
         binding_hash = excluded.binding_hash, state_json = excluded.state_json, updated_at = excluded.updated_at`,
    )
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM negotiations WHERE id = ?`)
    this.hasStmt = db.prepare('SELECT 1 FROM negotiations WHERE id = ?').pluck()
    this.listStmt = db.prepare(`SELECT ${COLUMNS} FROM negotiations ORDER BY updated_at DESC, id`)
    this.dueStmt = db.prepare(`SELECT id FROM negotiations WHERE status IN ${OPEN_STATUSES} AND deadline < ? ORDER BY deadline`).pluck()
    this.participantStmt = db.prepare(
      `INSERT INTO participants (negotiation, public_key, role, feed_key) VALUES (?, ?, ?, ?)
       ON CONFLICT (negotiation, public_key) DO UPDATE SET role = excluded.role, feed_key = coalesce(excluded.feed_key, participants.feed_key)`,
    )
    this.participantsStmt = db.prepare(
      'SELECT public_key AS publicKey, role, feed_key AS feedKey FROM participants WHERE negotiation = ? ORDER BY role DESC, public_key',
    )
    this.deleteLocksStmt = db.prepare('DELETE FROM locks WHERE negotiation = ?')
    this.lockStmt = db.prepare('INSERT INTO locks (negotiation, clause, text_hash) VALUES (?, ?, ?)')
    this.locksStmt = db.prepare('SELECT clause, text_hash AS textHash FROM locks WHERE negotiation = ? ORDER BY clause')
    this.appealStmt = db.prepare(
      `INSERT INTO appeals (negotiation, dispute, due, status, outcome) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (negotiation, dispute) DO UPDATE SET due = excluded.due, status = excluded.status, outcome = excluded.outcome`,
    )
    this.appealsStmt = db.prepare('SELECT dispute, due, status, outcome FROM appeals WHERE negotiation = ? ORDER BY due')
    this.appealsDueStmt = db.prepare("SELECT DISTINCT negotiation FROM appeals WHERE status = 'OPEN' AND due < ? ORDER BY due").pluck()
  }

  /** Inserts, or updates what the fold can change (title, creation time and deadline are fixed by GENESIS). */
  upsert(row: NegotiationRow): void {
    this.upsertStmt.run(row)
  }

  get(id: string): NegotiationRow | undefined {
    const r = this.getStmt.get(id) as RawNegotiation | undefined
    return r === undefined ? undefined : fromRaw(r)
  }

  has(id: string): boolean {
    return this.hasStmt.get(id) !== undefined
  }

  list(): NegotiationRow[] {
    return (this.listStmt.all() as RawNegotiation[]).map(fromRaw)
  }

  /** Ids of negotiations still open whose deadline (ISO, same format, so text order is time order) is before `nowIso`. */
  openPastDeadline(nowIso: string): string[] {
    return this.dueStmt.all(nowIso) as string[]
  }

  /** Inserts or updates; a known feed key is never erased by a row that lacks one. */
  putParticipant(negotiation: string, p: ParticipantRow): void {
    this.participantStmt.run(negotiation, p.publicKey, p.role, p.feedKey)
  }

  participants(negotiation: string): ParticipantRow[] {
    return this.participantsStmt.all(negotiation) as ParticipantRow[]
  }

  replaceLocks(negotiation: string, locks: readonly LockRow[]): void {
    this.deleteLocksStmt.run(negotiation)
    for (const l of locks) this.lockStmt.run(negotiation, l.clause, l.textHash)
  }

  locks(negotiation: string): LockRow[] {
    return this.locksStmt.all(negotiation) as LockRow[]
  }

  putAppeal(negotiation: string, a: AppealRow): void {
    this.appealStmt.run(negotiation, a.dispute, a.due, a.status, a.outcome)
  }

  appeals(negotiation: string): AppealRow[] {
    return this.appealsStmt.all(negotiation) as AppealRow[]
  }

  /** Negotiations with an OPEN appeal due before `nowIso`. */
  openAppealsPastDue(nowIso: string): string[] {
    return this.appealsDueStmt.all(nowIso) as string[]
  }
}
