/**
 * Settings, Diagnostics: the figures that say how this peer is doing (from its
 * prom-client metrics, counted since it started), the raw metrics for tools,
 * and where its log file is. Figures refresh when events say they moved, and
 * on request; nothing polls.
 */
import { useEffect } from 'react'
import { Button } from '../components/button.js'
import { CopyButton } from '../components/copy-button.js'
import { ErrorNote } from '../components/error-note.js'
import { Panel } from '../components/panel.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import { describeSeconds, metricFigures } from './metric-figures.js'
import '../styles/share.css'
import '../styles/diagnostics.css'

const LEVEL_TEXT: Record<string, string> = {
  fatal: 'only what stops the peer',
  error: 'errors only',
  warn: 'warnings and errors',
  info: 'what happens, warnings and errors',
  debug: 'everything, in detail',
  trace: 'everything, in the finest detail',
  silent: 'nothing',
}

export function DiagnosticsSettings() {
  const metrics = useApp((s) => s.metrics)
  const logs = useApp((s) => s.logs)
  const loadMetrics = useApp((s) => s.loadMetrics)
  const loadLogs = useApp((s) => s.loadLogs)
  useEffect(() => {
    void loadMetrics()
    void loadLogs()
  }, [loadMetrics, loadLogs])
  const m = valueOf(metrics)
  const figures = m ? metricFigures(m.families) : null
  const log = valueOf(logs)
  const show = (n: number | null) => (n === null ? '–' : n.toLocaleString())

  return (
    <div className="stack-lg">
      <Panel
        title="How this peer is doing"
        actions={
          <Button variant="quiet" onClick={() => void loadMetrics()} busy={metrics.state === 'loading'}>
            Refresh figures
          </Button>
        }
      >
        {metrics.state === 'failed' ? <ErrorNote error={metrics.error} /> : null}
        {figures ? (
          <>
            <dl className="figures">
              <div className="figure">
                <dt>Counterparties connected</dt>
                <dd>{show(figures.connectedPeers)}</dd>
              </div>
              <div className="figure">
                <dt>Negotiations in progress</dt>
                <dd>{show(figures.activeNegotiations)}</dd>
              </div>
              <div className="figure">
                <dt>Negotiations started or joined</dt>
                <dd>{show(figures.negotiationsCreated)}</dd>
              </div>
              <div className="figure">
                <dt>Agreements made binding</dt>
                <dd>{show(figures.bindings)}</dd>
              </div>
              <div className="figure">
                <dt>Average time to agreement</dt>
                <dd>{figures.meanSecondsToBinding === null ? '–' : describeSeconds(figures.meanSecondsToBinding)}</dd>
              </div>
              <div className="figure">
                <dt>Messages rejected</dt>
                <dd>{show(figures.rejectedTotal)}</dd>
              </div>
              <div className="figure">
                <dt>Peers slowed down for flooding</dt>
                <dd>{show(figures.rateLimited)}</dd>
              </div>
            </dl>
            {figures.rejectedByReason.length > 0 ? (
              <table className="data-table figures__reasons">
                <caption>Rejected messages by reason</caption>
                <thead>
                  <tr>
                    <th scope="col">Reason</th>
                    <th scope="col">Messages</th>
                  </tr>
                </thead>
                <tbody>
                  {figures.rejectedByReason.map((r) => (
                    <tr key={r.reason}>
                      <td className="mono">{r.reason}</td>
                      <td className="num">{r.count.toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            <p className="muted">Counted since this peer last started.</p>
            <details className="disclosure">
              <summary>All metrics (Prometheus text)</summary>
              <pre className="code-block metrics-text">{m!.text}</pre>
              <CopyButton text={m!.text} label="Copy metrics" />
            </details>
          </>
        ) : metrics.state === 'loading' ? (
          <p className="muted">Loading…</p>
        ) : null}
      </Panel>
      <Panel title="Logs">
        {logs.state === 'failed' ? <ErrorNote error={logs.error} /> : null}
        {log ? (
          log.file === null ? (
            <p>This peer writes its log to the terminal that started it.</p>
          ) : (
            <>
              <p>
                This peer writes its log here (JSON lines; passphrases and keys are never written). Attach it when you report a
                problem.
              </p>
              <p className="log-path mono wrap">{log.file}</p>
              <CopyButton text={log.file} label="Copy path" />
              <p className="muted">
                Level <span className="mono">{log.level}</span>: {LEVEL_TEXT[log.level] ?? 'as configured'}.
              </p>
            </>
          )
        ) : logs.state === 'loading' ? (
          <p className="muted">Loading…</p>
        ) : null}
      </Panel>
    </div>
  )
}
