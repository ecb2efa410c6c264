/**
 * The figures a person cares about, read from the node's metric families
 * (diagnostics.metrics; src-main/core/telemetry/metrics.ts names them). A
 * missing family reads as null, never as a made-up zero.
 */
import type { MetricFamily } from '../../../src-main/api.js'

export interface MetricFigures {
  connectedPeers: number | null
  activeNegotiations: number | null
  negotiationsCreated: number | null
  /** Negotiations that reached BINDING since this peer started. */
  bindings: number | null
  /** Mean seconds from GENESIS to BINDING, when any. */
  meanSecondsToBinding: number | null
  rejectedTotal: number | null
  rejectedByReason: { reason: string; count: number }[]
  rateLimited: number | null
}

function family(families: readonly MetricFamily[], name: string): MetricFamily | undefined {
  return families.find((f) => f.name === name)
}

function sum(f: MetricFamily | undefined, sampleName?: string): number | null {
  if (!f) return null
  const samples = f.samples.filter((s) => (sampleName === undefined ? true : s.name === sampleName))
  if (samples.length === 0) return f.type === 'counter' || f.type === 'gauge' ? 0 : null
  return samples.reduce((total, s) => total + (s.value ?? 0), 0)
}

export function metricFigures(families: readonly MetricFamily[]): MetricFigures {
  const binding = family(families, 'trust_time_to_binding_seconds')
  const count = sum(binding, 'trust_time_to_binding_seconds_count')
  const seconds = sum(binding, 'trust_time_to_binding_seconds_sum')
  const rejected = family(families, 'trust_rejected_messages_total')
  return {
    connectedPeers: sum(family(families, 'trust_connected_peers')),
    activeNegotiations: sum(family(families, 'trust_active_negotiations')),
    negotiationsCreated: sum(family(families, 'trust_negotiations_created_total')),
    bindings: count,
    meanSecondsToBinding: count && seconds !== null ? seconds / count : null,
    rejectedTotal: sum(rejected),
    rejectedByReason: (rejected?.samples ?? [])
      .filter((s) => (s.value ?? 0) > 0)
      .map((s) => ({ reason: s.labels.reason ?? 'other', count: s.value ?? 0 }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    rateLimited: sum(family(families, 'trust_rate_limited_peers_total')),
  }
}

/** "42 s", "3.5 min", "2.1 h", "4.0 days". */
export function describeSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`
  return `${(seconds / 86_400).toFixed(1)} days`
}
