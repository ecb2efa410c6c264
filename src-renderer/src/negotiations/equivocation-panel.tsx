/**
 * Equivocation, said plainly (DESIGN section 4.1): an author signed two
 * different messages in one place of its history. Every version's hash is
 * listed; the one others built on holds, the rest are rejected. It cannot undo
 * a binding, and it counts against the author's trust score.
 */
import type { NegotiationState } from '../../../src-main/api.js'
import type { NameOf } from './party-names.js'
import { PartyLabel } from './party-label.js'

export function EquivocationPanel({ state, nameOf }: { state: NegotiationState; nameOf: NameOf }) {
  if (state.equivocations.length === 0) return null
  const verdict = state.history.versions
  return (
    <section className="alert-panel" aria-labelledby="equivocation-title">
      <h2 className="alert-panel__title" id="equivocation-title">
        Equivocation: {state.equivocators.length === 1 ? 'a party signed conflicting messages' : 'parties signed conflicting messages'}
      </h2>
      <p>
        Signing two different versions of one message is proof of bad faith: it is kept as evidence and lowers the author’s trust
        score. The version the other parties built on counts; the others are rejected. It cannot undo terms that were already binding.
      </p>
      <ul className="plain-list stack">
        {state.equivocations.map((e) => (
          <li key={`${e.author}:${e.seq}`} className="equivocation">
            <p>
              <PartyLabel partyKey={e.author} nameOf={nameOf} /> <strong>is an equivocator</strong>: {e.hashes.length} versions of their message #{e.seq}.
            </p>
            <ul className="plain-list">
              {e.hashes.map((h) => {
                const entry = verdict[h]
                const held = entry?.verdict === 'applied' || (entry?.verdict === 'rejected' && entry.reason !== 'EQUIVOCATION')
                return (
                  <li key={h} className="mono wrap">
                    {h}{' '}
                    <span className={held ? 'badge badge--neutral' : 'badge badge--danger'}>{held ? 'holds the place' : 'rejected'}</span>
                  </li>
                )
              })}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  )
}
