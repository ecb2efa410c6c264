/**
 * The invite to a negotiation, to send to the other parties over any channel:
 * as text (with a copy button) and as a QR code. It lets them find the
 * negotiation; only the parties named in it can join.
 */
import { useId, useState } from 'react'
import { Button } from '../components/button.js'
import { QrCode } from './qr-code.js'

export function InviteShare({ invite }: { invite: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)
  const id = useId()
  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(invite)
      setCopied('yes')
    } catch {
      setCopied('failed')
    }
  }
  return (
    <div className="invite">
      <div className="invite__text">
        <label className="field__label" htmlFor={id}>
          Invite link
        </label>
        <textarea id={id} className="invite__link mono" readOnly value={invite} rows={4} onFocus={(e) => e.currentTarget.select()} />
        <div className="form__actions">
          <Button variant="primary" onClick={() => void copy()}>
            Copy invite
          </Button>
          <span className="muted" role="status">
            {copied === 'yes' ? 'Copied. Paste it to the other parties.' : copied === 'failed' ? 'Could not copy: select the text and copy it.' : ''}
          </span>
        </div>
        <p className="muted">
          Send it over a channel you trust. It only lets them find this negotiation: only the parties named in it can join, and each
          one should compare your fingerprint before signing anything.
        </p>
      </div>
      <QrCode text={invite} label="The invite as a QR code" />
    </div>
  )
}
