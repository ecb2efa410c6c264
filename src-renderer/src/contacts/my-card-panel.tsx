/** My contact card: the text to send, a QR code of it, and the fingerprint the other person checks by voice. */
import { useEffect } from 'react'
import { CopyButton } from '../components/copy-button.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint } from '../components/fingerprint.js'
import { Panel } from '../components/panel.js'
import { QrCode } from '../components/qr-code.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'

export function MyCardPanel() {
  const myCard = useApp((s) => s.myCard)
  const loadMyCard = useApp((s) => s.loadMyCard)
  const fingerprint = useApp((s) => (s.identity.state === 'ready' ? s.identity.value.fingerprint : undefined))
  useEffect(() => {
    void loadMyCard()
  }, [loadMyCard])
  const card = valueOf(myCard)

  return (
    <Panel title="Your card">
      <p>Send this card to the people you want to negotiate with, any way you like: it is public, and signed by your key.</p>
      {myCard.state === 'failed' ? <ErrorNote error={myCard.error} /> : null}
      {card ? (
        <>
          <div className="my-card">
            <QrCode text={card} label="QR code of your contact card" />
            <div className="my-card__text">
              <textarea className="copy-text" readOnly value={card} rows={4} aria-label="Your contact card" spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton text={card} label="Copy card" variant="primary" />
            </div>
          </div>
          {fingerprint ? (
            <p className="my-card__fingerprint">
              When they add it, read them your fingerprint: <Fingerprint value={fingerprint} large />
            </p>
          ) : null}
        </>
      ) : myCard.state === 'loading' ? (
        <p className="muted">Loading your card…</p>
      ) : null}
    </Panel>
  )
}
