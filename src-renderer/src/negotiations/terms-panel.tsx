/** The current terms: each clause with its lock state and who locked it, and the terms hash that acceptances name. */
import type { NegotiationState } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { Panel } from '../components/panel.js'
import { useApp } from '../state/store-context.js'
import type { History } from './history.js'
import type { Legal } from './legal-actions.js'
import type { NameOf } from './party-names.js'
import { PartyLabel } from './party-label.js'
import { SignDialog } from './sign-dialog.js'

export function TermsPanel({ state, history, legal, nameOf }: { state: NegotiationState; history: History; legal: Legal; nameOf: NameOf }) {
  const act = useApp((s) => s.act)
  const k = state.requiredConsensus
  const signed = state.bindingHash !== null
  return (
    <Panel title="Terms">
      <p className="muted">
        Terms hash <span className="mono wrap">{state.termsHash}</span>
      </p>
      <ol className="clauses plain-list">
        {state.clauses.map((c) => {
          const locked = state.lockedClauses.includes(c.id)
          const by = history.lockedBy.get(c.id) ?? []
          const textHash = state.clauseHashes[c.id] ?? ''
          // Once bound, every clause is part of what was signed: "open" would say it can still change.
          const label = locked ? 'Locked' : signed ? 'Signed' : by.length > 0 ? `${by.length} of ${k} locks` : 'Open'
          return (
            <li key={c.id} className={locked ? 'clause clause--locked' : 'clause'}>
              <div className="clause__head">
                <h3 className="clause__title inert-name">{c.title}</h3>
                <span className="mono muted">{c.id}</span>
                <span className={locked || signed ? 'badge badge--success' : 'badge badge--neutral'}>{label}</span>
              </div>
              <p className="clause__text inert-name">{c.text}</p>
              {by.length > 0 ? (
                <p className="clause__locks muted">
                  {locked ? 'Locked by ' : 'Lock signed by '}
                  {by.map((key, i) => (
                    <span key={key}>
                      {i > 0 ? ', ' : ''}
                      <PartyLabel partyKey={key} nameOf={nameOf} compact />
                    </span>
                  ))}
                  {locked || signed ? '. No offer can change it now.' : `. It locks when ${k} parties have.`}
                </p>
              ) : null}
              {legal.lockable.has(c.id) ? (
                <SignDialog
                  trigger={<Button variant="secondary">Lock “{c.title.length > 40 ? `${c.title.slice(0, 40)}…` : c.title}”</Button>}
                  title="Lock this clause"
                  summary={`Locking says you agree to this clause as written. Once ${k} parties lock it, no offer can change it.`}
                  type="LOCK"
                  body={{ clause: c.id, textHash }}
                  hash={{ label: 'Clause hash', value: textHash }}
                  onSign={() => act('negotiations.lock', { negotiation: state.negotiation, clause: c.id, textHash })}
                >
                  <blockquote className="quote">
                    <p className="clause__title inert-name">{c.title}</p>
                    <p className="inert-name">{c.text}</p>
                  </blockquote>
                </SignDialog>
              ) : null}
            </li>
          )
        })}
      </ol>
    </Panel>
  )
}
