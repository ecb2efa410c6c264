/**
 * Turns what the service and the peer report into the node's events, log lines
 * and metrics (DESIGN section 11): every state transition, every rejected
 * message and every peer event is logged with its negotiation id and peer, and
 * counted. Nothing here decides anything.
 */
import type { TrustEvent } from '../../api.js'
import type { NegotiationServiceEvent } from '../negotiation/index.js'
import { childLogger, type Logger } from '../telemetry/logger.js'
import type { Metrics } from '../telemetry/metrics.js'

const FINAL_OR_BOUND = new Set(['BINDING', 'DISPUTED', 'RESOLVED', 'EXPIRED', 'WITHDRAWN'])

export interface ObserverOptions {
  logger: Logger
  metrics: Metrics
  emit(event: TrustEvent): void
  /** Current status of a negotiation from the store, for the first event seen about it. */
  statusOf(negotiation: string): string | undefined
  /** GENESIS time (ms) of a negotiation, for the time-to-binding histogram. */
  startedAt(negotiation: string): number | undefined
  /** Negotiations not yet in a final state. */
  activeCount(): number
  now(): number
}

export class NodeObserver {
  private readonly lastStatus = new Map<string, string>()

  constructor(private readonly o: ObserverOptions) {}

  /** A new negotiation is known before its first event: remember where it starts. */
  created(negotiation: string, how: 'created' | 'joined'): void {
    this.o.metrics.negotiationsCreated.inc()
    childLogger(this.o.logger, { negotiation }).info({ how }, `negotiation ${how}`)
  }

  serviceEvent(event: NegotiationServiceEvent): void {
    const { logger, metrics } = this.o
    if (event.type === 'message') {
      const log = childLogger(logger, { negotiation: event.negotiation, peer: event.author })
      if (event.verdict === 'rejected') {
        metrics.rejected(event.reason ?? 'UNKNOWN')
        log.warn({ hash: event.hash, type: event.messageType, reason: event.reason }, 'message rejected')
      } else {
        log.info({ hash: event.hash, type: event.messageType, verdict: event.verdict }, 'message')
      }
      this.o.emit({
        type: 'message',
        negotiation: event.negotiation,
        hash: event.hash,
        author: event.author,
        messageType: event.messageType as 'OFFER',
        verdict: event.verdict === 'rejected' ? 'rejected' : 'applied',
        ...(event.reason ? { reason: event.reason } : {}),
      })
      return
    }
    const from = this.lastStatus.get(event.negotiation) ?? this.o.statusOf(event.negotiation) ?? 'NEW'
    this.lastStatus.set(event.negotiation, event.status)
    if (from !== event.status) {
      metrics.transition(from, event.status)
      childLogger(logger, { negotiation: event.negotiation }).info({ from, to: event.status, termsHash: event.termsHash }, 'state transition')
      if (event.status === 'BINDING') {
        const started = this.o.startedAt(event.negotiation)
        if (started !== undefined) metrics.timeToBinding.observe(Math.max(0, (this.o.now() - started) / 1000))
      }
      if (FINAL_OR_BOUND.has(event.status) || from === 'NEW') metrics.activeNegotiations.set(this.o.activeCount())
    }
    this.o.emit({ type: 'negotiation', negotiation: event.negotiation, status: event.status as 'BINDING', termsHash: event.termsHash })
  }

  peer(event: { publicKey: string; connected: boolean; negotiations: string[] }, connectedNow: number): void {
    this.o.metrics.connectedPeers.set(connectedNow)
    childLogger(this.o.logger, { peer: event.publicKey }).info(
      { negotiations: event.negotiations },
      event.connected ? 'peer connected' : 'peer disconnected',
    )
    this.o.emit({ type: 'peer', publicKey: event.publicKey, connected: event.connected, negotiations: event.negotiations })
  }

  peerRejected(event: { negotiation: string | null; identity: string | null; reason: string }): void {
    if (/RATE/i.test(event.reason)) this.o.metrics.rateLimitedPeers.inc()
    this.o.metrics.rejected(event.reason.split(':')[0] ?? 'PEER')
    const log = childLogger(this.o.logger, {
      ...(event.negotiation ? { negotiation: event.negotiation } : {}),
      ...(event.identity ? { peer: event.identity } : {}),
    })
    log.warn({ reason: event.reason }, 'peer rejected')
  }

  /** Forget cached statuses (after a restart of the peer, the store is the truth). */
  reset(): void {
    this.lastStatus.clear()
  }
}
