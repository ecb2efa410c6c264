/**
 * The lock screen (DESIGN section 2): the app starts locked and comes back here
 * after the idle timeout. It names whose identity this is, so nobody types a
 * passphrase into the wrong profile, and says clearly when the passphrase is wrong.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { ApiError, IdentityStatus } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint } from '../components/fingerprint.js'
import { PassphraseField } from '../components/passphrase-field.js'
import { ProgressNote } from '../components/progress-note.js'
import { useApp } from '../state/store-context.js'
import { AuthLayout } from './auth-layout.js'

export function UnlockScreen({ identity, onRestore }: { identity: IdentityStatus; onRestore(): void }) {
  const unlockIdentity = useApp((s) => s.unlockIdentity)
  const lockReason = useApp((s) => s.lockReason)
  const [passphrase, setPassphrase] = useState('')
  const [busy, setBusy] = useState(false)
  const [wrong, setWrong] = useState(false)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [wrongAttempts, setWrongAttempts] = useState(0)
  const field = useRef<HTMLInputElement>(null)

  // After a wrong passphrase: back to the field with its text selected, so typing replaces it.
  useEffect(() => {
    if (wrongAttempts === 0) return
    field.current?.focus()
    field.current?.select()
  }, [wrongAttempts])

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (busy) return
    if (passphrase === '') {
      setWrong(false)
      setFailure({ code: 'INVALID_INPUT', message: 'INVALID_INPUT: enter your passphrase.' })
      field.current?.focus()
      return
    }
    setBusy(true)
    setWrong(false)
    setFailure(null)
    const result = await unlockIdentity(passphrase)
    if (result.ok) return // the app opens; this screen goes away
    setBusy(false)
    if (result.error.code === 'BAD_PASSPHRASE') {
      setWrong(true)
      setWrongAttempts((n) => n + 1)
    } else {
      setFailure(result.error)
    }
  }

  return (
    <AuthLayout
      title="Unlock"
      lead={
        <>
          Enter the passphrase of <strong className="inert-name">{identity.name ?? 'this identity'}</strong> to continue.
        </>
      }
      footer={
        <p>
          Forgot your passphrase?{' '}
          <button type="button" className="link-button" onClick={onRestore}>
            Restore from a backup file
          </button>
        </p>
      }
    >
      {identity.fingerprint ? (
        <p className="auth__identity">
          Fingerprint <Fingerprint value={identity.fingerprint} />
        </p>
      ) : null}
      {lockReason === 'elsewhere' ? (
        <p className="notice" role="status">
          Locked because the app was idle, or from another window. Your agreements are safe; unlock to continue.
        </p>
      ) : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <PassphraseField
          ref={field}
          label="Passphrase"
          autoComplete="current-password"
          autoFocus
          value={passphrase}
          onChange={(e) => {
            setPassphrase(e.target.value)
            setWrong(false)
          }}
          error={wrong ? 'That passphrase is not right. Check Caps Lock and the keyboard layout, then try again.' : null}
          readOnly={busy}
        />
        <ErrorNote error={failure} />
        {busy ? <ProgressNote label="Unlocking…" detail="Opening your key takes a few seconds." /> : null}
        <div className="form__actions">
          <Button variant="primary" type="submit" busy={busy}>
            Unlock
          </Button>
        </div>
      </form>
    </AuthLayout>
  )
}
