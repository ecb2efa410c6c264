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
  private readonly insertCheckpointStmt
  private readonly latestGoodStmt
  private readonly goodCoveringStmt
  private readonly goodStmt
  private readonly goodByNoteStmt
  private readonly allCheckpointsStmt

  constructor(readonly db: Db) {
    this.insertReceiptStmt = db.prepare('INSERT INTO receipts (seq, hash, bytes) VALUES (?, ?, ?)')
    this.headStmt = db.prepare('SELECT seq, hash FROM receipts ORDER BY seq DESC LIMIT 1')
    this.countStmt = db.prepare('SELECT count(*) FROM receipts').pluck()
    this.hashesStmt = db.prepare('SELECT hash FROM receipts WHERE seq >= ? ORDER BY seq').pluck()
    this.bytesFromStmt = db.prepare('SELECT bytes FROM receipts WHERE seq >= ? ORDER BY seq LIMIT ?').pluck()
    // Raw rows [seq, hash, bytes] in seq order: the verifier's hot loop avoids per-row objects.
    this.scanStmt = db.prepare('SELECT seq, hash, bytes FROM receipts ORDER BY seq').raw()
    this.insertCheckpointStmt = db.prepare(
      'INSERT INTO checkpoints (size, root, note, status, reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.latestGoodStmt = db.prepare("SELECT * FROM checkpoints WHERE status = 'good' ORDER BY size DESC LIMIT 1")
    this.goodCoveringStmt = db.prepare("SELECT * FROM checkpoints WHERE status = 'good' AND size > ? ORDER BY size DESC LIMIT 1")
    this.goodStmt = db.prepare("SELECT * FROM checkpoints WHERE status = 'good' ORDER BY size")
    this.goodByNoteStmt = db.prepare("SELECT * FROM checkpoints WHERE status = 'good' AND note = ? LIMIT 1")
    this.allCheckpointsStmt = db.prepare('SELECT * FROM checkpoints ORDER BY id')
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

  /** Every receipt row as [seq, hash, bytes], in seq order. */
  scan(): IterableIterator<[number, string, Buffer]> {
    return this.scanStmt.iterate() as IterableIterator<[number, string, Buffer]>
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

  /** Good and refused, in the order they were recorded. */
  allCheckpoints(): CheckpointRow[] {
    return (this.allCheckpointsStmt.all() as RawCheckpoint[]).map(toCheckpoint)
  }
}
