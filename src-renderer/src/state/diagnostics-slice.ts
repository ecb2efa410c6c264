/**
 * Diagnostics (DESIGN section 11): the node's metrics and where its log file is.
 * Metrics have no event of their own: the event feed refreshes them when a
 * `peer`, `negotiation` or `message` event says a figure may have moved, and the
 * Diagnostics tab offers a refresh.
 */
import type { DiagnosticsLogs, DiagnosticsMetrics } from '../../../src-main/api.js'
import { coalesce } from './coalesce.js'
import { IDLE, loadingFrom, settled, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

export interface DiagnosticsSlice {
  metrics: Remote<DiagnosticsMetrics>
  logs: Remote<DiagnosticsLogs>
  loadMetrics(): Promise<void>
  loadLogs(): Promise<void>
}

export const createDiagnosticsSlice: SliceCreator<DiagnosticsSlice> = (set, get, client) => ({
  metrics: IDLE,
  logs: IDLE,
  loadMetrics: coalesce(async () => {
    set({ metrics: loadingFrom(get().metrics) })
    const result = await client.call('diagnostics.metrics')
    set({ metrics: settled(get().metrics, result) })
  }),
  loadLogs: coalesce(async () => {
    set({ logs: loadingFrom(get().logs) })
    const result = await client.call('diagnostics.logs')
    set({ logs: settled(get().logs, result) })
  }),
})
