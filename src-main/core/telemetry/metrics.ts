/**
 * Prometheus metrics (DESIGN section 11: shown in diagnostics and at /metrics).
 * Each node gets its own Registry, never prom-client's global one, so two nodes in
 * one process (tests, the demo) do not collide or double count.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface MetricsOptions {
  /** Also collect process metrics (CPU, memory, event loop lag). Default false. */
  processMetrics?: boolean
}

export interface Metrics {
  readonly registry: Registry
  readonly negotiationsCreated: Counter
  readonly stateTransitions: Counter<'from' | 'to'>
  readonly timeToBinding: Histogram
  readonly activeNegotiations: Gauge
  readonly connectedPeers: Gauge
  readonly rejectedMessages: Counter<'reason'>
  readonly rateLimitedPeers: Counter
  /** Convenience recorders; label values are sanitized (see `labelValue`). */
  transition(from: string, to: string): void
  rejected(reason: string): void
  /** The Prometheus text exposition. */
  text(): Promise<string>
  /** The Content-Type for `text()`. */
  readonly contentType: string
}

/**
 * Label values can come from peers (a rejection reason naming what they sent): an
 * attacker choosing label values could grow the registry without bound. Values are
 * kept to a short code alphabet; anything else is counted as 'other'.
 */
export function labelValue(value: string): string {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : 'other'
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry()
  const registers = [registry]
  const negotiationsCreated = new Counter({
    name: 'trust_negotiations_created_total',
    help: 'Negotiations created or joined by this node',
    registers,
  })
  const stateTransitions = new Counter({
    name: 'trust_state_transitions_total',
    help: 'Negotiation state transitions (DESIGN section 4)',
    labelNames: ['from', 'to'] as const,
    registers,
  })
  const timeToBinding = new Histogram({
    name: 'trust_time_to_binding_seconds',
    help: 'Seconds from GENESIS to BINDING',
    // Negotiations take minutes to weeks: buckets from 1 s to 30 days.
    buckets: [1, 10, 60, 600, 3_600, 21_600, 86_400, 604_800, 2_592_000],
    registers,
  })
  const activeNegotiations = new Gauge({
    name: 'trust_active_negotiations',
    help: 'Negotiations not yet in a final state',
    registers,
  })
  const connectedPeers = new Gauge({
    name: 'trust_connected_peers',
    help: 'Peers connected right now',
    registers,
  })
  const rejectedMessages = new Counter({
    name: 'trust_rejected_messages_total',
    help: 'Messages from peers rejected, by reason code',
    labelNames: ['reason'] as const,
    registers,
  })
  const rateLimitedPeers = new Counter({
    name: 'trust_rate_limited_peers_total',
    help: 'Times a peer was rate limited',
    registers,
  })
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'trust_process_' })

  return {
    registry,
    negotiationsCreated,
    stateTransitions,
    timeToBinding,
    activeNegotiations,
    connectedPeers,
    rejectedMessages,
    rateLimitedPeers,
    transition: (from, to) => stateTransitions.inc({ from: labelValue(from), to: labelValue(to) }),
    rejected: (reason) => rejectedMessages.inc({ reason: labelValue(reason) }),
    text: () => registry.metrics(),
    contentType: registry.contentType,
  }
}
