/**
 * Restore an identity from a backup file (DESIGN section 2): the file is the key
 * sealed under the passphrase it was made with. Restoring the identity this
 * profile already holds replaces its passphrase with the backup's, which is how a
 * forgotten newer passphrase is recovered.
 */
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react'
import type { ApiError } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint, fingerprintOf } from '../components/fingerprint.js'
import { PassphraseField } from '../components/passphrase-field.js'
import { ProgressNote } from '../components/progress-note.js'
import { useApp } from '../state/store-context.js'
import { AuthLayout } from './auth-layout.js'
import { MAX_BACKUP_BYTES, previewBackup, type BackupPreview } from './backup-file.js'

interface Chosen {
  fileName: string
  text: string
  preview: BackupPreview
}

export function RestoreScreen({ onBack }: { onBack(): void }) {
  const restoreIdentity = useApp((s) => s.restoreIdentity)
  const [chosen, setChosen] = useState<Chosen | null>(null)
  const [passphrase, setPassphrase] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [wrong, setWrong] = useState(false)
  const [busy, setBusy] = useState(false)
  const fileRef = useRef<HTMLInputElement>(null)
  const passRef = useRef<HTMLInputElement>(null)

  async function choose(event: ChangeEvent<HTMLInputElement>): Promise<void> {
    const file = event.target.files?.[0]
    setFailure(null)
    setProblem(null)
    if (!file) return setChosen(null)
    if (file.size > MAX_BACKUP_BYTES) {
      setChosen(null)
      setProblem('This file is too large to be a Trust Primitive backup.')
      return
    }
    const text = await file.text()
    const preview = previewBackup(text)
    setChosen({ fileName: file.name, text, preview })
    if (!preview.ok) setProblem(preview.reason)
    else passRef.current?.focus()
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (busy) return
    setFailure(null)
    setWrong(false)
    if (!chosen?.preview.ok) {
      setProblem(chosen && !chosen.preview.ok ? chosen.preview.reason : 'Choose your backup file first.')
      fileRef.current?.focus()
      return
    }
    if (passphrase === '') {
      setFailure({ code: 'INVALID_INPUT', message: 'INVALID_INPUT: enter the passphrase this backup was made with.' })
      passRef.current?.focus()
      return
    }
    setBusy(true)
    const result = await restoreIdentity({ blob: chosen.text, passphrase })
    if (result.ok) return // the identity event opens the app
    setBusy(false)
    if (result.error.code === 'BAD_PASSPHRASE') {
      setWrong(true)
      passRef.current?.focus()
    } else {
      setFailure(result.error)
    }
  }

  const preview = chosen?.preview.ok ? chosen.preview : null
  return (
    <AuthLayout
      title="Restore from a backup"
      lead="Choose the backup file you exported from Trust Primitive, then enter the passphrase it was made with."
    >
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <div className={problem ? 'field field--invalid' : 'field'}>
          <label className="field__label" htmlFor="backup-file">
            Backup file
          </label>
          <input
            ref={fileRef}
            id="backup-file"
            className="field__file"
            type="file"
            accept=".json,application/json"
            onChange={(e) => void choose(e)}
            disabled={busy}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'backup-file-error' : undefined}
            autoFocus
          />
          {problem ? (
            <p className="field__error" id="backup-file-error" role="alert">
              {problem}
            </p>
          ) : null}
        </div>
        {preview ? (
          <div className="backup-preview" role="status">
            <p>
              Backup of <strong className="inert-name">{preview.name}</strong>
            </p>
            <p>
              Fingerprint <Fingerprint value={fingerprintOf(preview.publicKey)} />
            </p>
          </div>
        ) : null}
        <PassphraseField
          ref={passRef}
          label="Passphrase of the backup"
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => {
            setPassphrase(e.target.value)
            setWrong(false)
          }}
          error={wrong ? 'That passphrase does not open this backup. It is the passphrase you had when you exported it.' : null}
          readOnly={busy}
        />
        <ErrorNote error={failure} />
        {busy ? <ProgressNote label="Restoring your identity…" detail="Opening the backup's key takes a few seconds." /> : null}
        <div className="form__actions">
          <Button variant="primary" type="submit" busy={busy}>
            Restore
          </Button>
          <Button variant="quiet" onClick={onBack} disabled={busy}>
            Back
          </Button>
        </div>
      </form>
    </AuthLayout>
  )
}
