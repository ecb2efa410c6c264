/**
 * The node's one event stream (DESIGN section 11: `negotiation`, `message`, `peer`,
 * `identity`, `job`). IPC and JSON-RPC subscribe here. A listener that throws is
 * logged and skipped: one broken surface must not stop the others hearing.
 */
import type { TrustEvent } from '../../api.js'

export type TrustEventListener = (event: TrustEvent) => void

export class EventHub {
  private readonly listeners = new Set<TrustEventListener>()

  constructor(private readonly onListenerError: (err: unknown, event: TrustEvent) => void = () => {}) {}

  /** Subscribes; returns the unsubscribe function. */
  on(listener: TrustEventListener): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  emit(event: TrustEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch (err) {
        this.onListenerError(err, event)
      }
    }
  }

  clear(): void {
    this.listeners.clear()
  }
}
