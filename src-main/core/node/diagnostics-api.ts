/**
 * `diagnostics.*` (DESIGN section 11): the node's prom-client metrics, as the
 * text `/metrics` serves and parsed into plain JSON for the Settings screen, and
 * where the profile's log file is, so a person can find it (the page shows the
 * path as text; it never opens files).
 */
import type { DiagnosticsMetrics, MetricFamily, MetricType, TrustApi } from '../../api.js'
import type { Metrics } from '../telemetry/metrics.js'
import { paramsOf } from './params.js'

export interface DiagnosticsApiContext {
  metrics: Metrics
  /** The log file, or null when the node logs elsewhere (stderr). */
  logFile: string | null
  /** The logger's level right now. */
  logLevel(): string
}

const TYPES: ReadonlySet<string> = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary'])

export function diagnosticsApi(ctx: DiagnosticsApiContext): Pick<TrustApi, 'diagnostics.metrics' | 'diagnostics.logs'> {
  return {
    'diagnostics.metrics': async (params) => {
      paramsOf('diagnostics.metrics', params, [])
      return readMetrics(ctx.metrics)
    },
    'diagnostics.logs': async (params) => {
      paramsOf('diagnostics.logs', params, [])
      return { file: ctx.logFile, level: ctx.logLevel() }
    },
  }
}

/** Text and JSON from one registry read each; values that are not finite (JSON cannot carry them) become null. */
export async function readMetrics(metrics: Metrics): Promise<DiagnosticsMetrics> {
  const [text, json] = await Promise.all([metrics.text(), metrics.registry.getMetricsAsJSON()])
  const families: MetricFamily[] = json
    .filter((m) => TYPES.has(String(m.type)))
    .map((m) => ({
      name: m.name,
      help: m.help,
      type: String(m.type) as MetricType,
      samples: m.values.map((v) => ({
        name: (v as { metricName?: string }).metricName ?? m.name,
        labels: Object.fromEntries(Object.entries(v.labels ?? {}).map(([k, value]) => [k, String(value)])),
        value: Number.isFinite(v.value) ? v.value : null,
      })),
    }))
  return { text, families }
}
