/**
 * Change the passphrase (identity.changePassphrase): the current one, then the
 * new one twice, rated like at creation. Old backups keep opening with the old
 * passphrase, which the success notice says.
 */
import { useState, type FormEvent } from 'react'
import type { ApiError } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { Dialog, DialogClose } from '../components/dialog.js'
import { ErrorNote } from '../components/error-note.js'
import { PassphraseField } from '../components/passphrase-field.js'
import { ProgressNote } from '../components/progress-note.js'
import { StrengthMeter } from '../components/strength-meter.js'
import { codePointLength, loadStrengthChecker, MIN_SCORE } from '../onboarding/passphrase-strength.js'
import { usePassphraseStrength } from '../onboarding/use-passphrase-strength.js'
import { useApp } from '../state/store-context.js'

/** The "Change passphrase…" button and the dialog it opens. */
export function ChangePassphraseDialog() {
  const [open, setOpen] = useState(false)
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      trigger={<Button>Change passphrase…</Button>}
      title="Change passphrase"
      description="Your key is sealed again under the new passphrase. Backups you exported before still open with the old one."
    >
      {open ? <ChangePassphraseForm onDone={() => setOpen(false)} /> : null}
    </Dialog>
  )
}

function ChangePassphraseForm({ onDone }: { onDone(): void }) {
  const changePassphrase = useApp((s) => s.changePassphrase)
  const notify = useApp((s) => s.notify)
  const name = useApp((s) => (s.identity.state === 'ready' ? (s.identity.value.name ?? '') : ''))
  const [old, setOld] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const [problems, setProblems] = useState<{ old?: string; next?: string; again?: string }>({})
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const strength = usePassphraseStrength(next, [name])

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (busy) return
    const found: { old?: string; next?: string; again?: string } = {}
    if (old === '') found.old = 'Enter your current passphrase.'
    const length = codePointLength(next)
    if (length < 8) found.next = 'Use at least 8 characters; a few unrelated words work well.'
    else if (length > 1024) found.next = 'Use at most 1024 characters.'
    else {
      const rated = (await loadStrengthChecker().catch(() => null))?.(next, [name])
      if (rated && rated.score < MIN_SCORE) found.next = 'This passphrase is too easy to guess; the meter below says why.'
    }
    if (!found.next && again !== next) found.again = 'The two new passphrases differ.'
    setProblems(found)
    setFailure(null)
    if (found.old || found.next || found.again) return
    setBusy(true)
    const result = await changePassphrase({ old, new: next })
    setBusy(false)
    if (result.ok) {
      notify({ tone: 'success', title: 'Passphrase changed', body: 'Export a new backup: the old ones still open with the old passphrase.' })
      onDone()
    } else if (result.error.code === 'BAD_PASSPHRASE') {
      setProblems({ old: 'That is not your current passphrase.' })
    } else {
      setFailure(result.error)
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <PassphraseField label="Current passphrase" autoComplete="current-password" value={old} onChange={(e) => setOld(e.target.value)} error={problems.old} readOnly={busy} autoFocus />
      <PassphraseField
        label="New passphrase"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        error={problems.next}
        readOnly={busy}
        hint={<StrengthMeter score={strength?.score ?? null} suggestion={strength?.suggestion} />}
      />
      <PassphraseField label="New passphrase again" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} error={problems.again} readOnly={busy} />
      <ErrorNote error={failure} />
      {busy ? <ProgressNote label="Changing your passphrase…" detail="Sealing your key again takes a few seconds." /> : null}
      <div className="form__actions">
        <Button variant="primary" type="submit" busy={busy}>
          Change passphrase
        </Button>
        <DialogClose asChild>
          <Button variant="quiet">Cancel</Button>
        </DialogClose>
      </div>
    </form>
  )
}
