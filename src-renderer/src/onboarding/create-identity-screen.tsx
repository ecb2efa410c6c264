/**
 * Create an identity (DESIGN section 2): a display name and a passphrase typed
 * twice, rated as it is typed. Sealing the new key runs scrypt in the core for a
 * few seconds; the page shows progress and stays responsive meanwhile.
 */
import { useRef, useState, type FormEvent } from 'react'
import type { ApiError } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { ErrorNote } from '../components/error-note.js'
import { PassphraseField } from '../components/passphrase-field.js'
import { ProgressNote } from '../components/progress-note.js'
import { StrengthMeter } from '../components/strength-meter.js'
import { TextField } from '../components/text-field.js'
import { useApp } from '../state/store-context.js'
import { AuthLayout } from './auth-layout.js'
import { codePointLength, loadStrengthChecker, MIN_SCORE } from './passphrase-strength.js'
import { usePassphraseStrength } from './use-passphrase-strength.js'

interface Problems {
  name?: string
  passphrase?: string
  confirm?: string
}

export function CreateIdentityScreen({ onBack }: { onBack(): void }) {
  const createIdentity = useApp((s) => s.createIdentity)
  const [name, setName] = useState('')
  const [passphrase, setPassphrase] = useState('')
  const [confirm, setConfirm] = useState('')
  const [problems, setProblems] = useState<Problems>({})
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const nameRef = useRef<HTMLInputElement>(null)
  const passRef = useRef<HTMLInputElement>(null)
  const confirmRef = useRef<HTMLInputElement>(null)
  const strength = usePassphraseStrength(passphrase, [name])

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (busy) return
    const found: Problems = {}
    const trimmed = name.trim()
    if (trimmed === '') found.name = 'Enter the name your counterparties will see.'
    else if (codePointLength(trimmed) > 64) found.name = 'Use at most 64 characters.'
    const length = codePointLength(passphrase)
    if (length < 8) found.passphrase = 'Use at least 8 characters; a few unrelated words work well.'
    else if (length > 1024) found.passphrase = 'Use at most 1024 characters.'
    else {
      const rated = (await loadStrengthChecker().catch(() => null))?.(passphrase, [trimmed])
      if (rated && rated.score < MIN_SCORE) {
        found.passphrase = 'This passphrase is too easy to guess; the meter below says why.'
      }
    }
    if (!found.passphrase && confirm !== passphrase) found.confirm = 'The two passphrases differ. Type the same one twice.'
    setProblems(found)
    setFailure(null)
    if (found.name) return nameRef.current?.focus()
    if (found.passphrase) return passRef.current?.focus()
    if (found.confirm) return confirmRef.current?.focus()

    setBusy(true)
    const result = await createIdentity({ name: trimmed, passphrase })
    // On success the identity event takes the app to its first screen.
    if (!result.ok) {
      setBusy(false)
      setFailure(result.error)
    }
  }

  return (
    <AuthLayout
      title="Create your identity"
      lead="Your name is shown to the people you negotiate with. Your passphrase unlocks your key on this device; it is never stored or sent anywhere."
    >
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <TextField
          ref={nameRef}
          label="Your name"
          autoComplete="name"
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={problems.name}
          readOnly={busy}
          maxLength={200}
        />
        <PassphraseField
          ref={passRef}
          label="Passphrase"
          autoComplete="new-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          error={problems.passphrase}
          readOnly={busy}
          hint={<StrengthMeter score={strength?.score ?? null} suggestion={strength?.suggestion} />}
        />
        <PassphraseField
          ref={confirmRef}
          label="Passphrase again"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={problems.confirm}
          readOnly={busy}
        />
        <ErrorNote error={failure} />
        {busy ? <ProgressNote label="Creating your key…" detail="Sealing it with your passphrase takes a few seconds." /> : null}
        <div className="form__actions">
          <Button variant="primary" type="submit" busy={busy}>
            Create identity
          </Button>
          <Button variant="quiet" onClick={onBack} disabled={busy}>
            Back
          </Button>
        </div>
      </form>
    </AuthLayout>
  )
}
