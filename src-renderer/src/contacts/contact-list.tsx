/** Everyone added, by name: fingerprint, trust score, the history behind it, and removal (confirmed). */
import { useEffect, useId, useState } from 'react'
import type { ApiError, Contact } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { DateTime } from '../components/date-time.js'
import { Dialog, DialogClose } from '../components/dialog.js'
import { EmptyState } from '../components/empty-state.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint } from '../components/fingerprint.js'
import { Panel } from '../components/panel.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import { TrustHistory } from './trust-history.js'
import { TrustScore } from './trust-score.js'

export function ContactList() {
  const contacts = useApp((s) => s.contacts)
  const loadContacts = useApp((s) => s.loadContacts)
  useEffect(() => {
    void loadContacts()
  }, [loadContacts])
  const list = valueOf(contacts)

  return (
    <Panel title={list && list.length > 0 ? `Your contacts (${list.length})` : 'Your contacts'}>
      {contacts.state === 'failed' ? <ErrorNote error={contacts.error} /> : null}
      {list === undefined ? (
        contacts.state === 'loading' ? <p className="muted">Loading your contacts…</p> : null
      ) : list.length === 0 ? (
        <EmptyState title="No contacts yet">
          <p>
            Paste the card someone sent you under “Add a contact”, and send them yours. You need each other’s cards before you
            can negotiate together.
          </p>
        </EmptyState>
      ) : (
        <ul className="contact-list" aria-label="Contacts">
          {list.map((c) => (
            <ContactRow key={c.publicKey} contact={c} />
          ))}
        </ul>
      )}
    </Panel>
  )
}

function ContactRow({ contact }: { contact: Contact }) {
  const [open, setOpen] = useState(false)
  const historyId = useId()
  return (
    <li className="contact">
      <div className="contact__who">
        <span className="contact__name inert-name">{contact.name}</span>
        <Fingerprint value={contact.fingerprint} />
        <span className="muted">
          added <DateTime iso={contact.added} />
        </span>
      </div>
      <TrustScore score={contact.score} name={contact.name} />
      <div className="contact__actions">
        <Button variant="quiet" aria-expanded={open} aria-controls={open ? historyId : undefined} onClick={() => setOpen((v) => !v)}>
          {open ? 'Hide history' : 'History'}
          <span className="visually-hidden"> of {contact.name}</span>
        </Button>
        <RemoveContactDialog contact={contact} />
      </div>
      {open ? <TrustHistory publicKey={contact.publicKey} name={contact.name} id={historyId} /> : null}
    </li>
  )
}

function RemoveContactDialog({ contact }: { contact: Contact }) {
  const removeContact = useApp((s) => s.removeContact)
  const notify = useApp((s) => s.notify)
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiError | null>(null)

  async function remove(): Promise<void> {
    setBusy(true)
    setFailure(null)
    const result = await removeContact(contact.publicKey)
    setBusy(false)
    if (result.ok) {
      setOpen(false)
      notify({ tone: 'success', title: `${contact.name} was removed from your contacts` })
    } else {
      setFailure(result.error)
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next)
        if (!next) setFailure(null)
      }}
      trigger={
        <Button variant="quiet">
          Remove…<span className="visually-hidden"> {contact.name}</span>
        </Button>
      }
      title="Remove this contact?"
      description={
        <>
          <strong className="inert-name">{contact.name}</strong> (<Fingerprint value={contact.fingerprint} />) leaves your contacts,
          with your name for them. Their trust history stays, and agreements made with them are not touched. You can add them again
          from their card.
        </>
      }
    >
      <ErrorNote error={failure} />
      <div className="form__actions">
        <Button variant="danger" busy={busy} onClick={() => void remove()}>
          Remove contact
        </Button>
        <DialogClose asChild>
          <Button variant="quiet">Keep</Button>
        </DialogClose>
      </div>
    </Dialog>
  )
}
