/**
 * One message exactly as signed (negotiations.envelope): the JCS text whose
 * SHA-256 is its hash, and its signature checked again by the core. Anyone can
 * check it with any Ed25519 tool; this shows what they would check.
 */
import { useState } from 'react'
import type { ApiError, SignedEnvelopeView } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { Dialog, DialogClose } from '../components/dialog.js'
import { ErrorNote } from '../components/error-note.js'
import { ProgressNote } from '../components/progress-note.js'
import { useApp } from '../state/store-context.js'

export function EnvelopeDialog({ negotiation, hash, label }: { negotiation: string; hash: string; label: string }) {
  const signedEnvelope = useApp((s) => s.signedEnvelope)
  const [open, setOpen] = useState(false)
  const [view, setView] = useState<SignedEnvelopeView | null>(null)
  const [error, setError] = useState<ApiError | null>(null)

  function change(next: boolean): void {
    setOpen(next)
    if (!next) return
    setView(null)
    setError(null)
    void signedEnvelope(negotiation, hash).then((r) => (r.ok ? setView(r.value) : setError(r.error)))
  }

  return (
    <Dialog
      open={open}
      onOpenChange={change}
      trigger={
        <button type="button" className="link-button timeline__envelope" aria-label={`Signed envelope of ${label}`}>
          Signed envelope
        </button>
      }
      title="Signed envelope"
      description="This exact text is what was signed, stored and replicated. Its SHA-256 is the message hash."
    >
      {error ? <ErrorNote error={error} /> : null}
      {view === null && error === null ? <ProgressNote label="Reading the stored envelope…" /> : null}
      {view ? (
        <>
          <p className={view.verified ? 'verified' : 'verified verified--bad'} role="status">
            {view.verified ? '✓ Signature verified just now against the author’s key.' : '✗ The signature does NOT verify: this message is kept only as evidence.'}
          </p>
          <dl className="facts">
            <dt>Hash</dt>
            <dd className="mono wrap">{view.hash}</dd>
            <dt>Author key</dt>
            <dd className="mono wrap">{view.author}</dd>
          </dl>
          <pre className="code-block envelope__json" tabIndex={0} aria-label="Envelope JSON">
            {JSON.stringify(view.envelope, null, 2)}
          </pre>
          <details className="details">
            <summary>Exact signed bytes (JCS)</summary>
            <pre className="code-block envelope__json wrap" tabIndex={0} aria-label="Exact JCS text">
              {view.json}
            </pre>
          </details>
        </>
      ) : null}
      <div className="form__actions dialog__actions">
        <DialogClose asChild>
          <Button>Close</Button>
        </DialogClose>
      </div>
    </Dialog>
  )
}
