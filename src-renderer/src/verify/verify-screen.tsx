/**
 * Verify an agreement (DESIGN sections 10 and 12): a `*.trust.json` picked or
 * dropped here, handed over by another view (verify-slice.ts), or one the
 * desktop app was opened with (files.takeOpened, on mount and on each
 * `file-opened` event, through the store). The size is checked before the file
 * is read; the core checks everything else and recomputes the agreement offline.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react'
import type { ApiError } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { ErrorNote } from '../components/error-note.js'
import { ProgressNote } from '../components/progress-note.js'
import { Screen } from '../components/screen.js'
import { useApp } from '../state/store-context.js'
import { BundleReportView } from './bundle-report-view.js'
import { describeFileError } from './verify-text.js'
import { MAX_BUNDLE_BYTES, readBundleFile } from './read-bundle-file.js'
import '../styles/share.css'
import '../styles/verify.css'

export function VerifyScreen() {
  const bundleCheck = useApp((s) => s.bundleCheck)
  const checkBundle = useApp((s) => s.checkBundle)
  const takeOpenedFile = useApp((s) => s.takeOpenedFile)
  const verifyInput = useApp((s) => s.verifyInput)
  const clearVerifyInput = useApp((s) => s.clearVerifyInput)
  const [readError, setReadError] = useState<{ name: string; error: ApiError } | null>(null)
  const [dragging, setDragging] = useState(false)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    void takeOpenedFile()
  }, [takeOpenedFile])

  // A bundle handed over (another view, an opened file): check it, once.
  useEffect(() => {
    if (verifyInput === null) return
    clearVerifyInput()
    setReadError(null)
    void checkBundle(verifyInput)
  }, [verifyInput, clearVerifyInput, checkBundle])

  async function take(file: File | undefined): Promise<void> {
    if (!file) return
    setReadError(null)
    const read = await readBundleFile(file)
    if (read.ok) await checkBundle(read.value)
    else setReadError({ name: file.name, error: read.error })
  }

  function onDrop(event: DragEvent): void {
    event.preventDefault()
    setDragging(false)
    void take(event.dataTransfer.files[0])
  }

  return (
    <Screen
      title="Verify an agreement"
      lead="Check an agreement file (*.trust.json) offline: every signature and hash, and the outcome, recomputed from the signed messages alone. Nothing is sent anywhere."
    >
      <div
        className={dragging ? 'dropzone is-dragging' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="dropzone__text">Drop an agreement file here, or</p>
        <Button variant="primary" onClick={() => input.current?.click()}>
          Choose a file…
        </Button>
        <input
          ref={input}
          type="file"
          accept=".json,application/json,application/vnd.trust-primitive.bundle+json"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Agreement file"
          onChange={(e) => {
            void take(e.target.files?.[0])
            e.target.value = '' // the same file can be chosen again
          }}
        />
        <p className="muted">
          Agreement files end in .trust.json and are at most {MAX_BUNDLE_BYTES / (1024 * 1024)} MiB. Export one from a negotiation,
          or ask a party to the agreement for theirs.
        </p>
      </div>

      {readError ? (
        <section className="verify-result" aria-label="Result">
          <p className="verify-result__file">
            File: <span className="inert-name">{readError.name}</span>
          </p>
          <ErrorNote text={describeFileError(readError.error)} />
        </section>
      ) : bundleCheck.state === 'checking' ? (
        <ProgressNote label={`Verifying ${bundleCheck.name}…`} detail="Every signature is checked; a large agreement takes a few seconds." />
      ) : bundleCheck.state === 'failed' ? (
        <section className="verify-result" aria-label="Result">
          <p className="verify-result__file">
            File: <span className="inert-name">{bundleCheck.name}</span>
          </p>
          <ErrorNote text={describeFileError(bundleCheck.error)} />
        </section>
      ) : bundleCheck.state === 'done' ? (
        <BundleReportView name={bundleCheck.name} report={bundleCheck.report} />
      ) : null}
    </Screen>
  )
}
