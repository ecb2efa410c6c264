/**
 * A counter-offer: edit the current terms (locked clauses stay as they are),
 * add or remove clauses, add a note; the diff and the exact OFFER body show
 * below, and signing names the terms hash it was written against (`base`), so
 * an offer is never applied to terms the user did not see.
 */
import { useMemo, useState } from 'react'
import type { JsonObject, NegotiationState } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { TextField } from '../components/text-field.js'
import { useApp } from '../state/store-context.js'
import { MAX_CLAUSE_TEXT, MAX_CLAUSES, MAX_TITLE, clauseIdFrom } from './negotiation-draft.js'
import { changesFrom, offerProblem, type EditedClause } from './offer-changes.js'
import { OfferDiff } from './offer-diff.js'
import { SignDialog } from './sign-dialog.js'
import { TextArea } from './text-area.js'

export function OfferEditor({ state }: { state: NegotiationState }) {
  const act = useApp((s) => s.act)
  const fresh = (): EditedClause[] => state.clauses.map((c) => ({ ...c, added: false, removed: false }))
  const [clauses, setClauses] = useState<EditedClause[]>(fresh)
  const [note, setNote] = useState('')
  const [base, setBase] = useState(state.termsHash)
  const locked = new Set(state.lockedClauses)

  const changes = useMemo(() => changesFrom(state.clauses, clauses), [state.clauses, clauses])
  const problem = offerProblem(clauses, state.clauses)
  const stale = base !== state.termsHash
  const body: JsonObject | null =
    changes.length === 0 || problem !== null ? null : { base, changes: changes as unknown as JsonObject[], ...(note.trim() === '' ? {} : { note }) }

  const update = (i: number, patch: Partial<EditedClause>) => setClauses((cs) => cs.map((c, j) => (j === i ? { ...c, ...patch } : c)))
  const addClause = () =>
    setClauses((cs) => [...cs, { id: clauseIdFrom('new clause', new Set(cs.map((c) => c.id))), title: '', text: '', added: true, removed: false }])

  return (
    <SignDialog
      trigger={<Button variant="primary">Counter-offer</Button>}
      title="Counter-offer"
      summary="Change the terms. Everyone’s acceptances are cleared when your offer applies, and they read your changes before deciding."
      type="OFFER"
      body={body}
      hash={{ label: 'Written against terms', value: base }}
      onOpenChange={(open) => {
        if (open) {
          setClauses(fresh())
          setNote('')
          setBase(state.termsHash)
        }
      }}
      onSign={() => act('negotiations.offer', { negotiation: state.negotiation, changes, base, ...(note.trim() === '' ? {} : { note }) })}
    >
      {stale ? (
        <p className="notice notice--warning" role="alert">
          The terms changed while you were editing. Your offer would be refused: close this and start again from the new terms.
        </p>
      ) : null}
      <ol className="offer-editor plain-list">
        {clauses.map((c, i) =>
          c.removed ? (
            <li key={`${c.id}-${i}`} className="offer-editor__clause offer-editor__clause--removed">
              <span>
                <span className="mono">{c.id}</span> will be removed.
              </span>
              <Button variant="quiet" onClick={() => update(i, { removed: false })}>
                Keep it
              </Button>
            </li>
          ) : (
            <li key={`${c.added ? 'new' : c.id}-${i}`} className="offer-editor__clause">
              {locked.has(c.id) ? (
                <>
                  <p className="offer-editor__locked">
                    <strong className="inert-name">{c.title}</strong> is locked: no offer can change it.
                  </p>
                </>
              ) : (
                <>
                  <TextField
                    label={c.added ? 'New clause title' : `Title of ${c.id}`}
                    value={c.title}
                    maxLength={MAX_TITLE}
                    onChange={(e) =>
                      update(i, { title: e.target.value, ...(c.added ? { id: clauseIdFrom(e.target.value, new Set(clauses.filter((_, j) => j !== i).map((x) => x.id))) } : {}) })
                    }
                  />
                  <TextArea label={c.added ? 'New clause text' : `Text of ${c.id}`} value={c.text} rows={3} maxLength={MAX_CLAUSE_TEXT} onChange={(e) => update(i, { text: e.target.value })} />
                  <div className="form__actions">
                    {c.added ? <span className="muted">Id: <span className="mono">{c.id}</span></span> : null}
                    <Button variant="quiet" onClick={() => (c.added ? setClauses((cs) => cs.filter((_, j) => j !== i)) : update(i, { removed: true }))}>
                      Remove {c.added ? 'this new clause' : 'this clause'}
                    </Button>
                  </div>
                </>
              )}
            </li>
          ),
        )}
      </ol>
      <Button onClick={addClause} disabled={clauses.filter((c) => !c.removed).length >= MAX_CLAUSES}>
        Add a clause
      </Button>
      <TextArea label="Note to the other parties (optional)" value={note} rows={2} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
      <section aria-label="Your changes">
        <h3 className="signing__title">Your changes</h3>
        {problem ? <p className="field__error">{problem}</p> : changes.length === 0 ? <p className="muted">No changes yet.</p> : <OfferDiff before={state.clauses} changes={changes} />}
      </section>
    </SignDialog>
  )
}
