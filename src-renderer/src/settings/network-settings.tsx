/**
 * Settings, Network: how this peer finds its counterparties, and who is
 * connected now in which negotiations (kept fresh by `peer` events). Names come
 * from your contacts and titles from your negotiations; an unknown key shows
 * its fingerprint only.
 */
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { EmptyState } from '../components/empty-state.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint, fingerprintOf } from '../components/fingerprint.js'
import { Panel } from '../components/panel.js'
import { RouteLink } from '../routing/link.js'
import { hasScreen } from '../shell/screens.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import '../styles/diagnostics.css'

const MODE_TEXT = {
  public: 'The public Hyperswarm network: counterparties anywhere can reach you.',
  local: 'A network on this computer only (127.0.0.1), for trying things out and for tests.',
  bootstrap: 'A private network, through the bootstrap nodes below.',
} as const

export function NetworkSettings() {
  const network = useApp((s) => s.network)
  const loadNetwork = useApp((s) => s.loadNetwork)
  const loadContacts = useApp((s) => s.loadContacts)
  const loadNegotiationList = useApp((s) => s.loadNegotiationList)
  const names = useApp(useShallow((s) => Object.fromEntries((valueOf(s.contacts) ?? []).map((c) => [c.publicKey, c.name] as const))))
  const titles = useApp(
    useShallow((s) => Object.fromEntries((valueOf(s.negotiationList) ?? []).map((n) => [n.negotiation, n.title] as const))),
  )
  useEffect(() => {
    void loadNetwork()
    void loadContacts()
    void loadNegotiationList()
  }, [loadNetwork, loadContacts, loadNegotiationList])
  const status = valueOf(network)
  const linkable = hasScreen('negotiation')

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
      <Panel title={status && status.peers.length > 0 ? `Connected counterparties (${status.peers.length})` : 'Connected counterparties'}>
        {status && status.peers.length === 0 ? (
          <EmptyState title="Nobody connected right now">
            <p>Counterparties connect while a negotiation you share with them is open on both sides.</p>
          </EmptyState>
        ) : null}
        {status && status.peers.length > 0 ? (
          <ul className="peer-list" aria-label="Connected counterparties">
            {status.peers.map((p) => (
              <li key={p.publicKey} className="peer">
                <p className="peer__who">
                  {names[p.publicKey] ? <span className="inert-name peer__name">{names[p.publicKey]}</span> : <span className="muted">Not in your contacts</span>}{' '}
                  <Fingerprint value={fingerprintOf(p.publicKey)} />
                </p>
                {p.negotiations.length === 0 ? (
                  <p className="muted">Connected, sharing no negotiation yet.</p>
                ) : (
                  <ul className="peer__negotiations" aria-label={`Negotiations shared with ${names[p.publicKey] ?? fingerprintOf(p.publicKey)}`}>
                    {p.negotiations.map((id) => (
                      <li key={id}>
                        {linkable ? (
                          <RouteLink to={{ view: 'negotiation', id }} className="inert-name">
                            {titles[id] ?? `${id.slice(0, 12)}…`}
                          </RouteLink>
                        ) : (
                          <span className="inert-name" title={id}>
                            {titles[id] ?? `${id.slice(0, 12)}…`}
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </Panel>
    </div>
  )
}
