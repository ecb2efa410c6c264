/**
 * One contact's trust ledger (contacts.trustEvents, DESIGN section 8): what
 * moved their score, when, by how much, in which negotiation, and why.
 */
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { LedgerEventType, PublicKeyHex } from '../../../src-main/api.js'
import { DateTime } from '../components/date-time.js'
import { ErrorNote } from '../components/error-note.js'
import { RouteLink } from '../routing/link.js'
import { hasScreen } from '../shell/screens.js'
import { IDLE, valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'

export const EVENT_TEXT: Record<LedgerEventType, { label: string; means: string }> = {
  COMPLETION: { label: 'Completed', means: 'An agreement with them became binding.' },
  CONFLICT: { label: 'Dispute', means: 'An agreement with them was disputed.' },
  TIMEOUT: { label: 'Timed out', means: 'A negotiation expired while waiting on them.' },
  MISBEHAVIOR: { label: 'Misbehaviour', means: 'They sent something forged, contradictory or far too much.' },
}

function signed(delta: number): string {
  const text = Math.abs(delta).toFixed(2)
  return delta > 0 ? `+${text}` : delta < 0 ? `\u2212${text}` : text
}

export function TrustHistory({ publicKey, name, id }: { publicKey: PublicKeyHex; name: string; id: string }) {
  const remote = useApp((s) => s.trustEvents[publicKey] ?? IDLE)
  const loadTrustEvents = useApp((s) => s.loadTrustEvents)
  const loadNegotiationList = useApp((s) => s.loadNegotiationList)
  const titles = useApp(
    useShallow((s) => Object.fromEntries((valueOf(s.negotiationList) ?? []).map((n) => [n.negotiation, n.title] as const))),
  )
  useEffect(() => {
    void loadTrustEvents(publicKey)
    void loadNegotiationList()
  }, [publicKey, loadTrustEvents, loadNegotiationList])
  const events = valueOf(remote)
  const linkable = hasScreen('negotiation')

  return (
    <div className="trust-history" id={id}>
      {remote.state === 'failed' ? <ErrorNote error={remote.error} /> : null}
      {events === undefined ? (
        remote.state === 'loading' ? <p className="muted">Loading the history…</p> : null
      ) : events.length === 0 ? (
        <p className="muted">
          Nothing has moved this score yet: it starts at 0.50. An agreement reached adds 0.05; a dispute takes 0.10, a
          negotiation that expires waiting on them 0.02, and misbehaviour 0.30.
        </p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Trust history of {name}</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Change</th>
              <th scope="col">Score after</th>
              <th scope="col">Negotiation</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {[...events].reverse().map((e) => (
              <tr key={e.seq}>
                <td>
                  <span className={`pill pill--${e.type.toLowerCase()}`} title={EVENT_TEXT[e.type].means}>
                    {EVENT_TEXT[e.type].label}
                  </span>
                  {e.reason ? <span className="trust-history__reason mono">{e.reason}</span> : null}
                </td>
                <td className={e.delta < 0 ? 'num num--down' : 'num num--up'}>{signed(e.delta)}</td>
                <td className="num">{e.score.toFixed(2)}</td>
                <td>
                  {e.negotiation === null ? (
                    <span className="muted">none</span>
                  ) : linkable ? (
                    <RouteLink to={{ view: 'negotiation', id: e.negotiation }} className="inert-name">
                      {titles[e.negotiation] ?? `${e.negotiation.slice(0, 12)}…`}
                    </RouteLink>
                  ) : (
                    <span className="inert-name" title={e.negotiation}>
                      {titles[e.negotiation] ?? `${e.negotiation.slice(0, 12)}…`}
                    </span>
                  )}
                </td>
                <td>
                  <DateTime iso={e.time} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
