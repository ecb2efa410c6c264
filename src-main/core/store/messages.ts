/**
 * The messages table (migration 003): an index of the feeds. Each row keeps the
 * exact JCS bytes of one envelope, so the negotiation state can be rebuilt from
 * these rows alone (DESIGN section 6), and the fold's verdict on it.
 */
import type { Db } from './database.js'

export type Verdict = 'applied' | 'rejected' | 'pending'
export type MessageSource = 'local' | 'remote'

export interface MessageRow {
  hash: string
  negotiation: string
  author: string
  seq: number
  lamport: number
  type: string
  bytes: Uint8Array
  sigValid: boolean
  verdict: Verdict
  reason: string | null
  /** The author's claimed time. */
  time: string
  /** Our clock when it was stored. */
  receivedAt: string
  source: MessageSource
}

interface RawRow {
  hash: string
  negotiation: string
  author: string
  seq: number
  lamport: number
  type: string
  bytes: Buffer
  sig_valid: number
  verdict: Verdict
  reason: string | null
  time: string
  received_at: string
  source: MessageSource
}

const COLUMNS = 'hash, negotiation, author, seq, lamport, type, bytes, sig_valid, verdict, reason, time, received_at, source'

function fromRaw(r: RawRow): MessageRow {
  return {
    hash: r.hash,
    negotiation: r.negotiation,
    author: r.author,
    seq: r.seq,
    lamport: r.lamport,
    type: r.type,
    bytes: new Uint8Array(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength),
    sigValid: r.sig_valid === 1,
    verdict: r.verdict,
    reason: r.reason,
    time: r.time,
    receivedAt: r.received_at,
    source: r.source,
  }
}

/** A message row without its bytes: what a timeline shows. */
export type MessageSummary = Omit<MessageRow, 'bytes'>

export class MessageStore {
  private readonly insertStmt
  private readonly hasStmt
  private readonly getStmt
  private readonly byNegotiationStmt
  private readonly summariesStmt
  private readonly verdictStmt
  private readonly countStmt

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO messages (${COLUMNS}) VALUES (@hash, @negotiation, @author, @seq, @lamport, @type, @bytes, @sigValid, @verdict, @reason, @time, @receivedAt, @source)`,
    )
    this.hasStmt = db.prepare('SELECT 1 FROM messages WHERE hash = ?').pluck()
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE hash = ?`)
    this.byNegotiationStmt = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE negotiation = ? ORDER BY lamport, hash`)
    this.summariesStmt = db.prepare(
      `SELECT hash, negotiation, author, seq, lamport, type, sig_valid AS sigValid, verdict, reason, time,
              received_at AS receivedAt, source FROM messages WHERE negotiation = ? ORDER BY lamport, hash`,
    )
    this.verdictStmt = db.prepare('UPDATE messages SET verdict = ?, reason = ? WHERE hash = ?')
    this.countStmt = db.prepare('SELECT count(*) FROM messages WHERE negotiation = ?').pluck()
  }

  insert(row: MessageRow): void {
    this.insertStmt.run({ ...row, bytes: Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength), sigValid: row.sigValid ? 1 : 0 })
  }

  has(hash: string): boolean {
    return this.hasStmt.get(hash) !== undefined
  }

  get(hash: string): MessageRow | undefined {
    const r = this.getStmt.get(hash) as RawRow | undefined
    return r === undefined ? undefined : fromRaw(r)
  }

  /** Every stored envelope of one negotiation, in fold order (lamport, hash). */
  forNegotiation(negotiation: string): MessageRow[] {
    return (this.byNegotiationStmt.all(negotiation) as RawRow[]).map(fromRaw)
  }

  /** The same rows without their bytes, in fold order. */
  summaries(negotiation: string): MessageSummary[] {
    return (this.summariesStmt.all(negotiation) as (Omit<MessageSummary, 'sigValid'> & { sigValid: number })[]).map((r) => ({
      ...r,
      sigValid: r.sigValid === 1,
    }))
  }

  setVerdict(hash: string, verdict: Verdict, reason: string | null): void {
    this.verdictStmt.run(verdict, reason, hash)
  }

  count(negotiation: string): number {
    return this.countStmt.get(negotiation) as number
  }
}
