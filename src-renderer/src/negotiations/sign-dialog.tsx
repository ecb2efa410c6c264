/**
 * What you sign, in full, before you sign it (DocuSign's lesson): the message
 * type, the exact body that goes under your signature (with the terms hash or
 * clause hash it names, whole), who you sign as, and anything to read first.
 * Nothing is signed until "Sign and send"; the core refuses with STALE_TERMS if
 * what was shown is no longer current.
 */
import { useState, type ReactNode } from 'react'
import type { ApiError, ApiResult, JsonObject, MessageType } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { Dialog, DialogClose } from '../components/dialog.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint } from '../components/fingerprint.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'

export interface SignDialogProps {
  trigger: ReactNode
  title: string
  /** One sentence: what signing this does. */
  summary: ReactNode
  type: MessageType
  /** The body as it will be signed, or null while the form above it is not complete. */
  body: JsonObject | null
  /** The hash this signature commits to, shown whole (terms hash, clause hash, dispute). */
  hash?: { label: string; value: string }
  /** What to read or fill in before signing (the terms, a reason field, ...). */
  children?: ReactNode
  /** Signs and sends; the dialog closes when it succeeds. */
  onSign(): Promise<ApiResult<unknown>>
  signLabel?: string
  danger?: boolean
  onOpenChange?(open: boolean): void
}

export function SignDialog(props: SignDialogProps) {
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const identity = useApp((s) => valueOf(s.identity))
  const notify = useApp((s) => s.notify)

  function change(next: boolean): void {
    if (busy) return
    setOpen(next)
    if (!next) setError(null)
    props.onOpenChange?.(next)
  }

  async function sign(): Promise<void> {
    setBusy(true)
    setError(null)
    const result = await props.onSign()
    setBusy(false)
    if (result.ok) {
      setOpen(false)
      props.onOpenChange?.(false)
      notify({ tone: 'success', title: `${props.title}: signed and sent` })
    } else setError(result.error)
  }

  return (
    <Dialog open={open} onOpenChange={change} trigger={props.trigger} title={props.title} description={props.summary}>
      {props.children}
      <section className="signing" aria-label="What you sign">
        <h3 className="signing__title">What you sign</h3>
        <dl className="facts">
          <dt>As</dt>
          <dd>
            <span className="inert-name">{identity?.name}</span> {identity?.fingerprint ? <Fingerprint value={identity.fingerprint} /> : null}
          </dd>
          <dt>Message</dt>
          <dd className="mono">{props.type}</dd>
          {props.hash ? (
            <>
              <dt>{props.hash.label}</dt>
              <dd className="mono wrap signing__hash">{props.hash.value}</dd>
            </>
          ) : null}
        </dl>
        {props.body ? (
          <pre className="code-block signing__body" aria-label="Signed body">
            {JSON.stringify(props.body, null, 2)}
          </pre>
        ) : (
          <p className="muted">Fill in the form above to see the exact message.</p>
        )}
        <p className="muted">
          Your signature covers this body, the negotiation id, your place in the history and the time. It is sent to every party and
          cannot be taken back.
        </p>
      </section>
      <ErrorNote error={error} />
      <div className="form__actions dialog__actions">
        <Button variant={props.danger ? 'danger' : 'primary'} busy={busy} disabled={props.body === null} onClick={() => void sign()}>
          {props.signLabel ?? 'Sign and send'}
        </Button>
        <DialogClose asChild>
          <Button disabled={busy}>Cancel</Button>
        </DialogClose>
      </div>
    </Dialog>
  )
}
