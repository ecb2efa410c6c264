/**
 * Start a negotiation: who takes part (from contacts, by fingerprint), the
 * clauses, how many must agree, the deadline, optional arbiters; then the invite
 * to share. Errors show inline as the person fills the form; the core checks
 * everything again.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react'
import type { ApiError, Contact, PublicKeyHex } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { EmptyState } from '../components/empty-state.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint } from '../components/fingerprint.js'
import { Panel } from '../components/panel.js'
import { ProgressNote } from '../components/progress-note.js'
import { Screen } from '../components/screen.js'
import { TextField } from '../components/text-field.js'
import { RouteLink } from '../routing/link.js'
import { hasScreen } from '../shell/screens.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import { ClauseEditor } from './clause-editor.js'
import { InviteShare } from './invite-share.js'
import { consensusRange, createParams, emptyDraft, hasErrors, validateDraft, type Draft } from './negotiation-draft.js'
import './negotiations.css'

export function NewNegotiationScreen() {
  const contactsRemote = useApp((s) => s.contacts)
  const loadContacts = useApp((s) => s.loadContacts)
  const create = useApp((s) => s.createNegotiation)
  useEffect(() => void loadContacts(), [loadContacts])
  const contacts = valueOf(contactsRemote)
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(Date.now()))
  const [submitted, setSubmitted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [created, setCreated] = useState<{ negotiation: string; invite: string } | null>(null)
  const errors = useMemo(() => validateDraft(draft, Date.now()), [draft])
  const show = (field: keyof typeof errors) => (submitted ? (errors[field] as string | undefined) ?? null : null)
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault()
    setSubmitted(true)
    setError(null)
    if (hasErrors(validateDraft(draft, Date.now()))) {
      // Focus the first field that needs attention, so keyboard users land on it.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.new-negotiation [aria-invalid="true"], .new-negotiation .picker--invalid input')?.focus())
      return
    }
    setBusy(true)
    const result = await create(createParams(draft))
    setBusy(false)
    if (result.ok) setCreated(result.value)
    else setError(result.error)
  }

  if (created) {
    return (
      <Screen title="Invite the other parties" lead="The negotiation is signed and stored. Send this invite to everyone you named.">
        <div className="stack-lg">
          <Panel title="Invite">
            <InviteShare invite={created.invite} />
          </Panel>
          <div className="form__actions">
            <RouteLink to={{ view: 'negotiation', id: created.negotiation }} className="button button--primary">
              Open the negotiation
            </RouteLink>
            <RouteLink to={{ view: 'negotiations' }} className="button button--secondary">
              All negotiations
            </RouteLink>
          </div>
        </div>
      </Screen>
    )
  }

  if (contacts === undefined) {
    return (
      <Screen title="New negotiation">
        {contactsRemote.state === 'failed' ? <ErrorNote error={contactsRemote.error} /> : <ProgressNote label="Loading your contacts…" />}
      </Screen>
    )
  }
  if (contacts.length === 0) {
    return (
      <Screen title="New negotiation">
        <EmptyState
          title="Add a contact first"
          actions={
            hasScreen('contacts') ? (
              <RouteLink to={{ view: 'contacts' }} className="button button--primary">
                Go to contacts
              </RouteLink>
            ) : null
          }
        >
          <p>
            Every party of a negotiation is someone whose contact card you added and whose fingerprint you compared. Exchange cards with
            the people you want to negotiate with, then come back here.
          </p>
        </EmptyState>
      </Screen>
    )
  }

  const n = draft.participants.length + 1
  const range = consensusRange(n)
  const arbiterChoices = contacts.filter((c) => !draft.participants.includes(c.publicKey))

  return (
    <Screen title="New negotiation" lead="Write the terms you propose. The others can counter-offer clause by clause before anyone signs.">
      <form className="form new-negotiation" onSubmit={(e) => void submit(e)} noValidate>
        <Panel title="What it is about">
          <TextField label="Title" value={draft.title} maxLength={200} onChange={(e) => set({ title: e.target.value })} error={show('title')} />
        </Panel>

        <Panel title="Parties">
          <ContactPicker
            legend="Counterparties"
            hint="You take part too, as the creator. Compare each fingerprint with the person before you pick them."
            contacts={contacts}
            picked={draft.participants}
            onChange={(participants) => set({ participants, arbiters: draft.arbiters.filter((a) => !participants.includes(a)) })}
            error={show('participants')}
          />
        </Panel>

        <Panel title="Clauses">
          <ClauseEditor clauses={draft.clauses} onChange={(clauses) => set({ clauses })} errors={errors.clause} showErrors={submitted} />
          {show('clauses') ? <p className="field__error">{show('clauses')}</p> : null}
        </Panel>

        <Panel title="Agreement rules">
          <div className="form-row">
            <TextField
              label="Parties who must agree"
              inputMode="numeric"
              value={draft.requiredConsensus}
              placeholder={String(n)}
              onChange={(e) => set({ requiredConsensus: e.target.value })}
              error={draft.requiredConsensus.trim() === '' && !submitted ? null : (errors.requiredConsensus ?? null)}
              hint={range.min === range.max ? `All ${n} parties must agree.` : `${range.min} to ${n} of the ${n} parties; empty means all ${n}.`}
            />
            <TextField
              label="Deadline"
              type="datetime-local"
              value={draft.deadline}
              onChange={(e) => set({ deadline: e.target.value })}
              error={errors.deadline ?? null}
              hint="If the terms are not binding by then, the negotiation expires."
            />
          </div>
        </Panel>

        <Panel title="Arbiters (optional)">
          <label className="check">
            <input type="checkbox" checked={draft.useArbiters} onChange={(e) => set({ useArbiters: e.target.checked })} />
            <span>Name arbiters who decide if a signer disputes the agreement</span>
          </label>
          {draft.useArbiters ? (
            <>
              {arbiterChoices.length === 0 ? (
                <p className="muted">Every contact is already a party. An arbiter must be someone else: add their contact card first.</p>
              ) : (
                <ContactPicker
                  legend="Arbiters"
                  contacts={arbiterChoices}
                  picked={draft.arbiters}
                  onChange={(arbiters) => set({ arbiters })}
                  error={show('arbiters')}
                />
              )}
              <div className="form-row">
                <TextField label="Arbiters needed for a decision" inputMode="numeric" value={draft.threshold} onChange={(e) => set({ threshold: e.target.value })} error={errors.threshold ?? null} />
                <TextField
                  label="Appeal window (days)"
                  inputMode="numeric"
                  value={draft.appealWindowDays}
                  onChange={(e) => set({ appealWindowDays: e.target.value })}
                  error={errors.appealWindowDays ?? null}
                  hint="How long the arbiters have to decide after a dispute."
                />
              </div>
            </>
          ) : null}
        </Panel>

        <ErrorNote error={error} />
        {submitted && hasErrors(errors) ? (
          <p className="field__error" role="alert">
            Some fields need attention before the negotiation can be signed.
          </p>
        ) : null}
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={busy}>
            Sign and create
          </Button>
          <RouteLink to={{ view: 'negotiations' }} className="button button--secondary">
            Cancel
          </RouteLink>
        </div>
      </form>
    </Screen>
  )
}

function ContactPicker(props: {
  legend: string
  hint?: string
  contacts: Contact[]
  picked: PublicKeyHex[]
  onChange(next: PublicKeyHex[]): void
  error: string | null
}) {
  const toggle = (key: PublicKeyHex, on: boolean) => props.onChange(on ? [...props.picked, key] : props.picked.filter((k) => k !== key))
  return (
    <fieldset className={props.error ? 'picker picker--invalid' : 'picker'}>
      <legend className="field__label">{props.legend}</legend>
      {props.hint ? <p className="field__hint">{props.hint}</p> : null}
      <ul className="picker__list">
        {props.contacts.map((c) => (
          <li key={c.publicKey}>
            <label className="check picker__item">
              <input type="checkbox" checked={props.picked.includes(c.publicKey)} onChange={(e) => toggle(c.publicKey, e.target.checked)} />
              <span className="picker__name inert-name">{c.name}</span>
              <Fingerprint value={c.fingerprint} />
            </label>
          </li>
        ))}
      </ul>
      {props.error ? <p className="field__error">{props.error}</p> : null}
    </fieldset>
  )
}
