/**
 * Adding a contact, in two steps: paste the card (checked by the core, nothing
 * saved), then compare the fingerprint with its holder by voice and save, with
 * an optional name of your own for them. The card's name is the holder's own
 * words: shown as text, never trusted to say who they are.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import type { ApiError, CardPreview } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { DateTime } from '../components/date-time.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint } from '../components/fingerprint.js'
import { Panel } from '../components/panel.js'
import { TextField } from '../components/text-field.js'
import { useApp } from '../state/store-context.js'

type Step = { kind: 'paste' } | { kind: 'compare'; card: string; preview: CardPreview }

export function AddContactPanel({ initialCard }: { initialCard?: string | undefined }) {
  const inspectCard = useApp((s) => s.inspectCard)
  const addContact = useApp((s) => s.addContact)
  const notify = useApp((s) => s.notify)
  const navigate = useApp((s) => s.navigate)
  const [step, setStep] = useState<Step>({ kind: 'paste' })
  const [card, setCard] = useState(initialCard ?? '')
  const [localName, setLocalName] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const cardId = useId()
  const cardHintId = useId()
  const cardField = useRef<HTMLTextAreaElement>(null)
  const compareHeading = useRef<HTMLHeadingElement>(null)

  async function check(text: string): Promise<void> {
    const trimmed = text.trim()
    setFailure(null)
    if (trimmed === '') {
      setProblem('Paste the card first: it starts with trust:contact/.')
      cardField.current?.focus()
      return
    }
    setProblem(null)
    setBusy(true)
    const result = await inspectCard(trimmed)
    setBusy(false)
    if (result.ok) {
      setLocalName('')
      setStep({ kind: 'compare', card: trimmed, preview: result.value })
    } else {
      setFailure(result.error)
    }
  }

  // A card from a trust:contact link is checked at once (once: the panel is keyed by the link).
  useEffect(() => {
    if (initialCard) void check(initialCard)
  }, [])

  useEffect(() => {
    if (step.kind === 'compare') compareHeading.current?.focus()
  }, [step.kind])

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (step.kind !== 'compare' || busy) return
    setFailure(null)
    setBusy(true)
    const name = localName.trim()
    const result = await addContact(name === '' ? { card: step.card } : { card: step.card, name })
    setBusy(false)
    if (!result.ok) {
      setFailure(result.error)
      return
    }
    notify({ tone: 'success', title: `${result.value.name} is now a contact`, body: `Fingerprint ${result.value.fingerprint}.` })
    setStep({ kind: 'paste' })
    setCard('')
    if (initialCard) navigate({ view: 'contacts' }) // the link's card leaves the address
  }

  function back(): void {
    setFailure(null)
    setStep({ kind: 'paste' })
  }

  if (step.kind === 'compare') {
    const { preview } = step
    return (
      <Panel title="Add a contact">
        <form className="form add-contact" onSubmit={(e) => void save(e)} noValidate aria-busy={busy}>
          <h3 className="add-contact__step" ref={compareHeading} tabIndex={-1}>
            Compare fingerprints
          </h3>
          <p>
            Call the holder of this card, or meet them, and ask them to read their fingerprint aloud. Save only if it matches
            this one exactly:
          </p>
          <p className="add-contact__fingerprint">
            <Fingerprint value={preview.fingerprint} large />
          </p>
          <dl className="facts">
            <dt>Name on the card</dt>
            <dd className="inert-name">{preview.name}</dd>
            <dt>Public key</dt>
            <dd className="mono wrap">{preview.publicKey}</dd>
          </dl>
          <p className="muted">The name is what its holder typed; only the fingerprint tells you it is really them.</p>
          {preview.contact ? (
            <p className="notice">
              You already have this key as <strong className="inert-name">{preview.contact.name}</strong>, added{' '}
              <DateTime iso={preview.contact.added} />. Saving replaces their card and keeps your name for them unless you type a new
              one.
            </p>
          ) : null}
          <TextField
            label="Your name for them (optional)"
            hint="Only you see it. Leave it empty to use the name on their card."
            value={localName}
            onChange={(e) => setLocalName(e.target.value)}
            maxLength={256}
            autoComplete="off"
            readOnly={busy}
          />
          <ErrorNote error={failure} />
          <div className="form__actions">
            <Button variant="primary" type="submit" busy={busy}>
              Fingerprints match: save contact
            </Button>
            <Button variant="quiet" onClick={back}>
              Back
            </Button>
          </div>
        </form>
      </Panel>
    )
  }

  return (
    <Panel title="Add a contact">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!busy) void check(card)
        }}
        noValidate
        aria-busy={busy}
      >
        <div className={problem ? 'field field--invalid' : 'field'}>
          <label className="field__label" htmlFor={cardId}>
            Their contact card
          </label>
          <textarea
            id={cardId}
            ref={cardField}
            className="copy-text card-input"
            rows={5}
            value={card}
            onChange={(e) => setCard(e.target.value)}
            placeholder="trust:contact/…"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={problem ? true : undefined}
            aria-describedby={cardHintId}
            readOnly={busy}
          />
          {problem ? (
            <p className="field__error" role="alert">
              {problem}
            </p>
          ) : null}
          <p className="field__hint" id={cardHintId}>
            Paste the card they sent you. Next you compare fingerprints; nothing is saved before that.
          </p>
        </div>
        <ErrorNote error={failure} />
        <div className="form__actions">
          <Button variant="primary" type="submit" busy={busy}>
            Check card
          </Button>
        </div>
      </form>
    </Panel>
  )
}
