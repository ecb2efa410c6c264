/**
 * Keeps our own feed of each negotiation equal to our stored messages
 * (DESIGN sections 3, 5, 6): entry i of the feed is our message with seq i.
 * A message is stored (durably, synchronous=FULL) before it is appended, so a
 * crash in between leaves the feed short, never wrong; the next flush (at the
 * next action or on open) appends what is missing, in seq order. Appends of one
 * negotiation are serialised so concurrent actions cannot reorder them.
 */
import { TrustError } from '../errors.js'
import type { Replicator } from '../sync/index.js'

export interface OwnMessage {
  seq: number
  bytes: Uint8Array
}

export class OwnFeedWriter {
  private readonly replicator: Replicator
  /** Our stored messages of a negotiation, in seq order. */
  private readonly stored: (negotiation: string) => OwnMessage[]
  private readonly queues = new Map<string, Promise<void>>()

  constructor(replicator: Replicator, stored: (negotiation: string) => OwnMessage[]) {
    this.replicator = replicator
    this.stored = stored
  }

  /** Appends what the feed lacks; `latest` (just stored) saves a read of the store in the usual case. */
  flush(negotiation: string, latest?: OwnMessage): Promise<void> {
    const previous = this.queues.get(negotiation) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(() => this.appendMissing(negotiation, latest))
    this.queues.set(negotiation, next)
    void next.finally(() => {
      if (this.queues.get(negotiation) === next) this.queues.delete(negotiation)
    }).catch(() => {})
    return next
  }

  /** Waits for every queued append. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.queues.values()])
  }

  private async appendMissing(negotiation: string, latest?: OwnMessage): Promise<void> {
    let length = this.replicator.ownFeedLength(negotiation)
    if (latest !== undefined && latest.seq < length) return
    const todo = latest !== undefined && latest.seq === length ? [latest] : this.stored(negotiation).filter((m) => m.seq >= length)
    for (const m of todo) {
      if (m.seq !== length) {
        throw new TrustError('INTERNAL', `our feed of ${negotiation} has ${length} entries but our next stored message has seq ${m.seq}`)
      }
      const index = await this.replicator.append(negotiation, m.bytes)
      if (index !== m.seq) throw new TrustError('INTERNAL', `appended seq ${m.seq} at feed index ${index}`)
      length = index + 1
    }
  }
}
