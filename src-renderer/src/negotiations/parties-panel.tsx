/** Who takes part and where each stands on the current terms; every acceptance and finalization with the terms hash it named. */
import { useState } from 'react'
import type { NegotiationState } from '../../../src-main/api.js'
import { Panel } from '../components/panel.js'
import type { History } from './history.js'
import { shortHash } from './negotiation-text.js'
import type { NameOf } from './party-names.js'
import { PartyLabel } from './party-label.js'

const SHOWN = 50

function Mark({ on, label }: { on: boolean; label: string }) {
  return <span className={on ? 'mark mark--on' : 'mark'}>{on ? `✓ ${label}` : '—'}</span>
}

export function PartiesPanel({ state, history, nameOf }: { state: NegotiationState; history: History; nameOf: NameOf }) {
  const current = state.termsHash
  return (
    <Panel title="Parties">
      <p className="muted">
        {state.requiredConsensus} of {state.participants.length} must agree. Creator first.
      </p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Party</th>
            <th scope="col">Joined</th>
            <th scope="col">Accepted these terms</th>
            <th scope="col">Finalized</th>
          </tr>
        </thead>
        <tbody>
          {state.participants.map((p) => (
            <tr key={p}>
              <th scope="row">
                <PartyLabel partyKey={p} nameOf={nameOf} />
                {state.withdrawn.includes(p) ? <span className="badge badge--danger">Withdrew</span> : null}
                {state.equivocators.includes(p) ? <span className="badge badge--danger">Equivocated</span> : null}
              </th>
              <td>
                <Mark on={state.joined.includes(p)} label="Joined" />
              </td>
              <td>
                <Mark on={state.accepts.includes(p)} label="Accepted" />
              </td>
              <td>
                <Mark on={state.finalizers.includes(p) || state.signers.includes(p)} label={state.signers.includes(p) ? 'Signed' : 'Finalized'} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {state.arbiters ? (
        <div>
          <h3 className="subhead">Arbiters</h3>
          <p className="muted">
            {state.arbiters.threshold} of {state.arbiters.keys.length} decide a dispute, within {state.appealWindowDays} days.
          </p>
          <ul className="plain-list stack">
            {state.arbiters.keys.map((a) => (
              <li key={a}>
                <PartyLabel partyKey={a} nameOf={nameOf} /> {state.arbitersJoined.includes(a) ? <span className="muted">joined</span> : <span className="muted">not joined yet</span>}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {history.acceptCount + history.finalizeCount > 0 ? <SignedHistory history={history} current={current} nameOf={nameOf} /> : null}
    </Panel>
  )
}

/** The latest acceptances and finalizations; drawn only when opened (a long negotiation has thousands). */
function SignedHistory({ history, current, nameOf }: { history: History; current: string; nameOf: NameOf }) {
  const [open, setOpen] = useState(false)
  const total = history.acceptCount + history.finalizeCount
  return (
        <details className="details" onToggle={(e) => setOpen(e.currentTarget.open)}>
          <summary>Acceptances and finalizations, with the terms each named ({total})</summary>
          {open ? (
          <ul className="plain-list stack signed-for">
            {[...history.accepts.map((a) => ({ ...a, what: 'accepted' })), ...history.finalizations.map((f) => ({ ...f, what: 'finalized' }))]
              .sort((a, b) => (a.time < b.time ? 1 : -1))
              .slice(0, SHOWN)
              .map((s) => (
                <li key={s.hash}>
                  <PartyLabel partyKey={s.author} nameOf={nameOf} compact /> {s.what} terms <span className="mono">{shortHash(s.termsHash)}</span>{' '}
                  <span className={s.termsHash === current ? 'badge badge--success' : 'badge badge--neutral'}>{s.termsHash === current ? 'current terms' : 'earlier terms'}</span>
                </li>
              ))}
            {total > SHOWN ? <li className="muted">The {SHOWN} latest of {total}; the signed timeline has them all.</li> : null}
          </ul>
          ) : null}
        </details>
  )
}
