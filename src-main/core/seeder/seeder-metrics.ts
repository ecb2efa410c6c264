/**
 * The seeder's Prometheus metrics (DESIGN section 11: like `trust serve`): its own
 * Registry, our counts, and blind-peer's own gauges registered into the same
 * registry (never prom-client's global one).
 */
import { Counter, Gauge, Registry } from 'prom-client'
import { labelValue } from '../telemetry/metrics.js'

export interface SeederMetrics {
  readonly registry: Registry
  readonly feeds: Gauge
  readonly bytes: Gauge
  readonly entries: Gauge
  readonly connections: Gauge
  readonly requests: Counter<'kind'>
  readonly refused: Counter<'code'>
  readonly dropped: Counter<'code'>
  refuse(code: string): void
  /** What blind-peer's registerMetrics(promClient) needs, bound to this registry. */
  readonly promClientShim: unknown
  text(): Promise<string>
  readonly contentType: string
}

export function createSeederMetrics(): SeederMetrics {
  const registry = new Registry()
  const registers = [registry]
  const refused = new Counter({ name: 'trust_seeder_refused_total', help: 'Requests refused, by reason (quotas, rate, malformed)', labelNames: ['code'] as const, registers })
  class ShimGauge extends Gauge {
    constructor(config: ConstructorParameters<typeof Gauge>[0]) {
      super({ ...config, registers })
    }
  }
  return {
    registry,
    feeds: new Gauge({ name: 'trust_seeder_feeds', help: 'Feeds kept', registers }),
    bytes: new Gauge({ name: 'trust_seeder_bytes', help: 'Bytes of the feeds kept (each at its full length)', registers }),
    entries: new Gauge({ name: 'trust_seeder_directory_entries', help: 'Directory entries kept', registers }),
    connections: new Gauge({ name: 'trust_seeder_connections', help: 'Connections open right now', registers }),
    requests: new Counter({ name: 'trust_seeder_requests_total', help: 'Requests received, by kind (keep, put, get)', labelNames: ['kind'] as const, registers }),
    refused,
    dropped: new Counter({ name: 'trust_seeder_feeds_dropped_total', help: 'Feeds dropped or frozen for breaking a limit, by reason', labelNames: ['code'] as const, registers }),
    refuse: (code) => refused.inc({ code: labelValue(code) }),
    promClientShim: { Gauge: ShimGauge },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  }
}
