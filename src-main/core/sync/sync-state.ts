/**
 * The replicator's own small state file, `sync-state.json` beside the corestore:
 * per negotiation and per remote feed, the fork last seen and, per owner bound
 * to the feed, the ingest cursor; per negotiation, how much of our own feed a
 * seeder was last seen to hold. A restart resumes from here instead of
 * handing every entry to the host again. Delivery to the host is at least once:
 * the cursor is saved after each batch, so a crash can repeat the tail of a
 * batch, which the fold ignores as duplicates (DESIGN section 4).
 * Written atomically (temp file, fsync, rename); a damaged file is refused, never
 * overwritten, so nothing is lost silently.
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs'
import { z } from 'zod'
import { readStateFile } from '../store/state-file.js'

const hex32 = z.string().regex(/^[0-9a-f]{64}$/)
const count = z.number().int().nonnegative()

const bindingSchema = z.strictObject({
  /** Next index to hand to the host. */
  cursor: count,
  /** Why this binding stopped for good (an oversized entry, a feed past its limit), or null. */
  blocked: z.string().max(200).nullable(),
  /** The owner's feed attestation (feed-attestation.ts) as hex, when we have one to relay. */
  attestation: z.string().regex(/^[0-9a-f]{384}$/).nullable(),
})

const feedSchema = z.strictObject({
  fork: count,
  bindings: z.record(hex32, bindingSchema),
})

const fileSchema = z.strictObject({
  version: z.literal(1),
  negotiations: z.record(
    hex32,
    z.strictObject({
      feeds: z.record(hex32, feedSchema),
      /** Entries of our own feed some seeder was seen to hold (absent: none yet). */
      seeded: count.optional(),
    }),
  ),
})

export type BindingState = z.infer<typeof bindingSchema>
export type FeedState = z.infer<typeof feedSchema>
export type SyncStateData = z.infer<typeof fileSchema>

export class SyncState {
  readonly path: string
  readonly data: SyncStateData
  private dirty = false

  private constructor(path: string, data: SyncStateData) {
    this.path = path
    this.data = data
  }

  static load(path: string): SyncState {
    if (!existsSync(path)) return new SyncState(path, { version: 1, negotiations: {} })
    const data = readStateFile(path, fileSchema, 'a sync state file')
    return new SyncState(path, data)
  }

  feeds(negotiation: string): Record<string, FeedState> {
    const n = (this.data.negotiations[negotiation] ??= { feeds: {} })
    return n.feeds
  }

  seeded(negotiation: string): number {
    return this.data.negotiations[negotiation]?.seeded ?? 0
  }

  setSeeded(negotiation: string, held: number): void {
    this.feeds(negotiation)
    this.data.negotiations[negotiation]!.seeded = held
    this.dirty = true
  }

  feed(negotiation: string, feedKey: string): FeedState {
    const feeds = this.feeds(negotiation)
    return (feeds[feedKey] ??= { fork: 0, bindings: {} })
  }

  markDirty(): void {
    this.dirty = true
  }

  /** Writes the file if anything changed since the last save. */
  save(): void {
    if (!this.dirty) return
    const tmp = `${this.path}.tmp`
    const fd = openSync(tmp, 'w', 0o600)
    try {
      writeSync(fd, JSON.stringify(this.data))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, this.path)
    this.dirty = false
  }
}
