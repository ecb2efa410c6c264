/**
 * One remote feed of one negotiation and how its entries reach the host:
 * in feed order, from the saved cursor, for each owner the feed is bound to
 * (normally one; a member who falsely attests someone else's feed gets its own
 * binding, whose entries the host rejects, and cannot displace the true owner).
 * Limits (DESIGN section 5) are checked here, before the host sees an entry.
 */
import type Hypercore from 'hypercore'
import type { SyncHost, IngestVerdict, MisbehaviorCode } from './sync-host.js'
import type { SyncLimits } from './limits.js'
import type { SyncState, FeedState, BindingState } from './sync-state.js'
import type { TokenBucket } from './token-bucket.js'

export interface EntryEvent {
  negotiation: string
  owner: string
  feedKey: string
  index: number
  accepted: boolean
  reason?: string
}

export interface RemoteFeedContext {
  negotiation: string
  host: SyncHost
  limits: SyncLimits
  state: SyncState
  bucketFor(owner: string): TokenBucket
  /** Owners whose entries stop for this session (rate limit). */
  isPaused(owner: string): boolean
  onEntry(event: EntryEvent): void
  onLearned(owner: string, feedKey: string): void
  /** An owner broke a limit: pause or block already done here; disconnect and record. */
  onLimit(owner: string, code: MisbehaviorCode, text: string): void
}

/** Cursor saves within one long batch, so a crash repeats at most this many entries. */
const SAVE_EVERY = 256
/** Entries handed to the host in one batch (one transaction) at most. */
const INGEST_BATCH = 128

export class RemoteFeed {
  readonly feedKey: string
  readonly core: Hypercore
  private readonly ctx: RemoteFeedContext
  private readonly feedState: FeedState
  /** Bumped on every truncation: a read that straddles one is discarded. */
  private generation = 0
  /** The longest length seen on the current fork, for equivocation evidence. */
  private knownLength: number
  private range: { destroy(): void } | null = null
  private draining = false
  private again = false
  private frozen = false
  private closed = false

  constructor(core: Hypercore, feedKey: string, ctx: RemoteFeedContext) {
    this.core = core
    this.feedKey = feedKey
    this.ctx = ctx
    this.feedState = ctx.state.feed(ctx.negotiation, feedKey)
    this.knownLength = core.length
    core.on('append', () => {
      this.knownLength = Math.max(this.knownLength, core.length)
      void this.drain()
    })
    core.on('truncate', (to, fork) => this.onTruncate(to, fork))
    core.on('conflict', (length, fork) => this.onConflict(length, fork))
    core.on('close', () => {
      this.closed = true
    })
    this.checkForkAtOpen()
    // Eager download of the whole feed, up to the length limit (nothing past it is
    // ever fetched): we keep and re-serve every feed of the negotiation, which is
    // how participants who never met still converge.
    this.range = core.download({ start: 0, end: ctx.limits.maxFeedLength })
  }

  bindings(): [string, BindingState][] {
    return Object.entries(this.feedState.bindings)
  }

  /** The fork moved while we were not watching (a crash between event and save): re-read everything. */
  private checkForkAtOpen(): void {
    const stale = this.bindings().some(([, b]) => b.cursor > this.core.length)
    if (this.core.fork === this.feedState.fork && !stale) return
    const previous = Math.max(0, ...this.bindings().map(([, b]) => b.cursor))
    for (const [, b] of this.bindings()) b.cursor = 0
    this.report(0, previous, `the feed is at fork ${this.core.fork}, we last saw fork ${this.feedState.fork}: re-reading it`)
    this.feedState.fork = this.core.fork
    this.ctx.state.markDirty()
  }

  private onTruncate(to: number, fork: number): void {
    this.generation++
    const previous = this.knownLength
    this.knownLength = this.core.length
    this.feedState.fork = fork
    // Nothing the host holds is rolled back; the cursor moves back so the
    // rewritten entries at the same indexes are handed over as well.
    for (const [, b] of this.bindings()) b.cursor = Math.min(b.cursor, to)
    this.ctx.state.markDirty()
    if (previous > to) {
      this.report(to, previous, `the writer truncated its feed from ${previous} to ${to} entries (fork ${fork}); both versions go to the host`)
    }
    this.ctx.state.save()
    void this.drain()
  }

  private onConflict(length: number, fork: number): void {
    this.frozen = true
    const local = this.core.length
    this.report(local, local, `two different signed trees at length ${length}, fork ${fork}: the writer equivocated; hypercore froze our copy of ${local} entries`)
  }

  private report(keptLength: number, previousLength: number, note: string): void {
    for (const [owner] of this.bindings()) {
      try {
        this.ctx.host.onEquivocation({
          negotiation: this.ctx.negotiation,
          owner,
          feedKey: this.feedKey,
          fork: this.core.fork,
          keptLength,
          previousLength,
          note,
        })
      } catch {
        // The host must not throw; if it does, replication goes on.
      }
    }
  }

  /** Hands every new entry to the host; concurrent calls coalesce into one loop. */
  async drain(): Promise<void> {
    if (this.draining) {
      this.again = true
      return
    }
    this.draining = true
    try {
      do {
        this.again = false
        for (const [owner, b] of this.bindings()) await this.drainBinding(owner, b)
      } while (this.again && this.live())
    } finally {
      this.draining = false
      if (!this.closed) this.ctx.state.save()
    }
  }

  private live(): boolean {
    return !this.closed && !this.frozen && !this.core.closed
  }

  private async drainBinding(owner: string, b: BindingState): Promise<void> {
    const { limits } = this.ctx
    let sinceSave = 0
    // Entries already on disk are handed over in batches (one host transaction,
    // one fsync each); the limits are still checked entry by entry before that.
    let batch: { index: number; bytes: Buffer }[] = []
    /** Hands the batch to the host; false when the host asks to stop (retry later). */
    const flush = (): boolean => {
      const pending = batch
      batch = []
      if (pending.length === 0) return true
      const verdicts = this.ingestBatch(owner, pending)
      for (let k = 0; k < pending.length; k++) {
        const verdict = verdicts[k] ?? { accepted: false, reason: 'HOST_ERROR', retry: true }
        // Not processed (e.g. the identity locked mid-drain): keep the cursor, so the
        // entry is offered again on the next append, reconnect or restart.
        if (verdict.retry === true) return false
        const index = pending[k]!.index
        b.cursor = index + 1
        this.ctx.state.markDirty()
        if (++sinceSave >= SAVE_EVERY) {
          sinceSave = 0
          this.ctx.state.save()
        }
        this.ctx.onEntry({ negotiation: this.ctx.negotiation, owner, feedKey: this.feedKey, index, accepted: verdict.accepted, ...(verdict.reason === undefined ? {} : { reason: verdict.reason }) })
        for (const f of verdict.learnedFeeds ?? []) this.ctx.onLearned(f.owner, f.feedKey)
      }
      return true
    }
    read: while (this.live() && b.blocked === null && !this.ctx.isPaused(owner) && b.cursor + batch.length < this.core.length) {
      const first = b.cursor + batch.length
      if (first >= limits.maxFeedLength) {
        if (!flush()) return
        this.block(owner, b, 'FEED_TOO_LONG', `feed ${this.feedKey} is longer than ${limits.maxFeedLength} entries`)
        return
      }
      if (batch.length >= INGEST_BATCH) {
        if (!flush()) return
        continue
      }
      const generation = this.generation
      let blocks: (Buffer | null)[]
      try {
        // Starting a batch, wait for the next entry (it may still be on the network); then read
        // what is already on disk up to a full batch, all at once: one storage round trip,
        // not one per entry. Never wait on the network holding a batch.
        const end = Math.min(b.cursor + INGEST_BATCH, this.core.length, limits.maxFeedLength)
        const reads: Promise<Buffer | null>[] = []
        for (let i = first; i < end; i++) reads.push(this.core.get(i, batch.length > 0 || i > first ? { wait: false } : undefined))
        blocks = await Promise.all(reads)
      } catch {
        batch = []
        if (this.generation !== generation) continue
        return
      }
      // A truncation moved the cursor back: what was gathered may be of the old fork.
      if (this.generation !== generation) {
        batch = []
        continue
      }
      // The limits, entry by entry, in feed order, before the host sees any of them.
      for (const bytes of blocks) {
        const index = b.cursor + batch.length
        if (bytes === null) {
          if (batch.length === 0) break read
          // Not downloaded yet: hand over what we hold, then wait for it.
          if (!flush()) return
          continue read
        }
        if (bytes.length > limits.maxEntryBytes) {
          if (!flush()) return
          this.block(owner, b, 'ENTRY_TOO_LARGE', `entry ${index} of feed ${this.feedKey} is ${bytes.length} bytes, the limit is ${limits.maxEntryBytes}`)
          return
        }
        if (!this.ctx.bucketFor(owner).take()) {
          if (!flush()) return
          // onLimit pauses the owner first, so stopServing sees it as no longer read.
          this.ctx.onLimit(owner, 'RATE_LIMITED', `more than ${limits.entryBurst} entries at once, or over ${limits.entriesPerSecond} per second`)
          this.stopServing()
          return
        }
        batch.push({ index, bytes })
      }
    }
    if (this.live()) flush()
  }

  private ingestBatch(owner: string, entries: { index: number; bytes: Buffer }[]): IngestVerdict[] {
    const host = this.ctx.host
    if (host.ingestBatch === undefined || entries.length === 1) return entries.map((e) => this.ingest(owner, e.index, e.bytes))
    try {
      const verdicts = host.ingestBatch(
        entries.map((e) => ({ negotiation: this.ctx.negotiation, owner, feedKey: this.feedKey, index: e.index, bytes: Uint8Array.from(e.bytes) })),
      )
      return Array.isArray(verdicts) ? verdicts : entries.map(() => ({ accepted: false, reason: 'HOST_ERROR', retry: true }))
    } catch {
      return entries.map(() => ({ accepted: false, reason: 'HOST_ERROR', retry: true }))
    }
  }

  private ingest(owner: string, index: number, bytes: Buffer): IngestVerdict {
    try {
      const entry = { negotiation: this.ctx.negotiation, owner, feedKey: this.feedKey, index, bytes: Uint8Array.from(bytes) }
      const verdict = this.ctx.host.ingest(entry)
      return verdict && typeof verdict.accepted === 'boolean' ? verdict : { accepted: false, reason: 'HOST_ERROR' }
    } catch {
      return { accepted: false, reason: 'HOST_ERROR', retry: true }
    }
  }

  /** A permanent stop for this binding: saved, so a restart does not report it again. */
  private block(owner: string, b: BindingState, code: MisbehaviorCode, text: string): void {
    b.blocked = `${code}: ${text}`.slice(0, 200)
    this.ctx.state.markDirty()
    this.ctx.state.save()
    this.stopServing()
    this.ctx.onLimit(owner, code, text)
  }

  /**
   * Stops downloading once no binding still reads the feed, and drops what we
   * hold past the lowest cursor, so we do not relay a flood or an oversized entry to others.
   */
  private stopServing(): void {
    const reading = this.bindings().some(([owner, b]) => b.blocked === null && !this.ctx.isPaused(owner))
    if (reading || !this.live()) return
    const from = Math.min(...this.bindings().map(([, b]) => b.cursor))
    this.range?.destroy()
    this.range = null
    const end = this.core.length
    if (from < end) void this.core.clear(from, end).catch(() => {})
  }

  async close(): Promise<void> {
    this.closed = true
    this.range?.destroy()
    this.range = null
    await this.core.close().catch(() => {})
  }
}
