/**
 * Prepared statements over the receipts and checkpoints tables (migration 002).
 * No validation here: the receipt chain (receipts/receipt-chain.ts) decides what
 * is written and verifies what is read.
 */
import type { Db } from './database.js'

export type CheckpointStatus = 'good' | 'refused'

export interface CheckpointRow {
  id: number
  size: number
  root: string
  note: string
  status: CheckpointStatus
  reason: string | null
  recordedAt: string
}

export interface ReceiptHead {
  seq: number
  hash: string
}

interface RawCheckpoint {
  id: number
  size: number
  root: string
  note: string
  status: CheckpointStatus
  reason: string | null
  recorded_at: string
}

const toCheckpoint = (r: RawCheckpoint): CheckpointRow => ({
  id: r.id,
  size: r.size,
  root: r.root,
  note: r.note,
  status: r.status,
  reason: r.reason,
  recordedAt: r.recorded_at,
})

export class ReceiptStore {
  private readonly insertReceiptStmt
  private readonly headStmt
  private readonly countStmt
  private readonly hashesStmt
  private readonly bytesFromStmt
  private readonly scanStmt
  private readonly bytesAtStmt
  private readonly insertCheckpointStmt
  private readonly latestGoodStmt
  private readonly goodCoveringStmt
  private readonly goodStmt
  private readonly goodByNoteStmt
  private readonly allCheckpointsStmt
  private readonly goodSizesStmt
  private readonly checkpointCountsStmt

  constructor(readonly db: Db) {
    this.insertReceiptStmt = db.prepare('INSERT INTO receipts (seq, hash, bytes) VALUES (?, ?, ?)')
    this.headStmt = db.prepare('SELECT seq, hash FROM receipts ORDER BY seq DESC LIMIT 1')
    this.countStmt = db.prepare('SELECT count(*) FROM receipts').pluck()
    this.hashesStmt = db.prepare('SELECT hash FROM receipts WHERE seq >= ? ORDER BY seq').pluck()
    this.bytesFromStmt = db.prepare('SELECT bytes FROM receipts WHERE seq >= ? ORDER BY seq LIMIT ?').pluck()
    // Raw rows [seq, hash, text] a page at a time, in seq order: the verifier's hot loop avoids
    // per-row objects and native calls, and strings, unlike Buffers, cost node no ArrayBuffer each.
    this.scanStmt = db.prepare('SELECT seq, hash, CAST(bytes AS TEXT) FROM receipts WHERE seq > ? ORDER BY seq LIMIT ?').raw()
    this.bytesAtStmt = db.prepare('SELECT bytes FROM receipts WHERE seq = ?').pluck()
    this.insertCheckpointStmt = db.prepare(
      'INSERT INTO checkpoints (size, root, note, status, reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.latestGoodStmt = db.prepare("SELECT * FROM checkpoints WHERE status = 'good' ORDER BY size DESC LIMIT 1")
    this.goodCoveringStmt = db.prepare("SELECT * FROM checkpoints WHERE status = 'good' AND size > ? ORDER BY size DESC LIMIT 1")
    this.goodStmt = db.prepare("SELECT * FROM checkpoints WHERE status = 'good' ORDER BY size")
    this.goodByNoteStmt = db.prepare("SELECT * FROM checkpoints WHERE status = 'good' AND note = ? LIMIT 1")
    this.allCheckpointsStmt = db.prepare('SELECT * FROM checkpoints ORDER BY id')
    this.goodSizesStmt = db.prepare("SELECT size, recorded_at FROM checkpoints WHERE status = 'good' AND size >= ? ORDER BY size LIMIT ?")
    this.checkpointCountsStmt = db.prepare('SELECT status, count(*) AS n FROM checkpoints GROUP BY status')
  }

  insertReceipt(seq: number, hash: string, bytes: Uint8Array): void {
    this.insertReceiptStmt.run(seq, hash, bytes)
  }

  /** The last receipt by seq, if any. */
  head(): ReceiptHead | undefined {
    return this.headStmt.get() as ReceiptHead | undefined
  }

  count(): number {
    return this.countStmt.get() as number
  }

  /** Stored hashes in seq order from `from` on (as stored: the verifier checks them). */
  hashesFrom(from: number): string[] {
    return this.hashesStmt.all(from) as string[]
  }

  receiptBytes(from: number, limit: number): Buffer[] {
    return this.bytesFromStmt.all(from, limit) as Buffer[]
  }

  /**
   * Up to `limit` receipt rows with seq above `after`, as [seq, hash, text] in seq order, the
   * bytes read as UTF-8 text. Invalid UTF-8 comes back with U+FFFD in its place (BOMs and NULs
   * are kept), so text without U+FFFD is exactly the stored bytes.
   */
  textPage(after: number | bigint, limit: number): [number, string, string][] {
    return this.scanStmt.all(after, limit) as [number, string, string][]
  }

  bytesAt(seq: number): Buffer | undefined {
    return this.bytesAtStmt.get(seq) as Buffer | undefined
  }

  insertCheckpoint(row: { size: number; root: string; note: string; status: CheckpointStatus; reason: string | null }): void {
    this.insertCheckpointStmt.run(row.size, row.root, row.note, row.status, row.reason, new Date().toISOString())
  }

  latestGoodCheckpoint(): CheckpointRow | undefined {
    const r = this.latestGoodStmt.get() as RawCheckpoint | undefined
    return r && toCheckpoint(r)
  }

  /** The largest good checkpoint whose tree contains receipt `seq`. */
  goodCheckpointCovering(seq: number): CheckpointRow | undefined {
    const r = this.goodCoveringStmt.get(seq) as RawCheckpoint | undefined
    return r && toCheckpoint(r)
  }

  goodCheckpoints(): CheckpointRow[] {
    return (this.goodStmt.all() as RawCheckpoint[]).map(toCheckpoint)
  }

  goodCheckpointWithNote(note: string): CheckpointRow | undefined {
    const r = this.goodByNoteStmt.get(note) as RawCheckpoint | undefined
    return r && toCheckpoint(r)
  }

  /** Good checkpoints with size >= `from`, by size, at most `limit`: their size and when they were stored. */
  goodCheckpointSizes(from: number, limit: number): { size: number; recordedAt: string }[] {
    return (this.goodSizesStmt.all(from, limit) as { size: number; recorded_at: string }[]).map((r) => ({ size: r.size, recordedAt: r.recorded_at }))
  }

  checkpointCounts(): Record<CheckpointStatus, number> {
    const counts: Record<CheckpointStatus, number> = { good: 0, refused: 0 }
    for (const row of this.checkpointCountsStmt.all() as { status: CheckpointStatus; n: number }[]) counts[row.status] = row.n
    return counts
  }

  /** Good and refused, in the order they were recorded. */
  allCheckpoints(): CheckpointRow[] {
    return (this.allCheckpointsStmt.all() as RawCheckpoint[]).map(toCheckpoint)
  }
}
