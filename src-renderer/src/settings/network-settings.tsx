/** Settings, Network: how this peer finds its counterparties, and who is connected now (kept fresh by `peer` events). */
import { useEffect } from 'react'
import { EmptyState } from '../components/empty-state.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint, fingerprintOf } from '../components/fingerprint.js'
import { Panel } from '../components/panel.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'

const MODE_TEXT = {
  public: 'The public Hyperswarm network: counterparties anywhere can reach you.',
  local: 'A network on this computer only (127.0.0.1), for trying things out and for tests.',
  bootstrap: 'A private network, through the bootstrap nodes below.',
} as const

export function NetworkSettings() {
  const network = useApp((s) => s.network)
  const loadNetwork = useApp((s) => s.loadNetwork)
  useEffect(() => {
    void loadNetwork()
  }, [loadNetwork])
  const status = valueOf(network)

  return (
    <div className="stack-lg">
      <Panel title="Network">
        {network.state === 'failed' ? <ErrorNote error={network.error} /> : null}
        {status ? (
          <dl className="facts">
            <dt>Mode</dt>
            <dd>
              <span className="mono">{status.mode}</span>: {MODE_TEXT[status.mode]}
            </dd>
            {status.bootstrap ? (
              <>
                <dt>Bootstrap</dt>
                <dd className="mono">{status.bootstrap.join(', ')}</dd>
              </>
            ) : null}
          </dl>
        ) : network.state === 'loading' ? (
          <p className="muted">Loading…</p>
        ) : null}
      </Panel>
      <Panel title="Connected counterparties">
        {status && status.peers.length === 0 ? (
          <EmptyState title="Nobody connected right now">
            <p>Counterparties connect while a negotiation you share with them is open on both sides.</p>
          </EmptyState>
        ) : null}
        {status && status.peers.length > 0 ? (
          <ul className="plain-list">
            {status.peers.map((p) => (
              <li key={p.publicKey}>
                <Fingerprint value={fingerprintOf(p.publicKey)} /> in {p.negotiations.length}{' '}
                {p.negotiations.length === 1 ? 'negotiation' : 'negotiations'}
              </li>
            ))}
          </ul>
        ) : null}
      </Panel>
    </div>
  )
}
