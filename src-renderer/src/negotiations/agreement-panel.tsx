/**
 * The agreement as evidence: the binding hash and signers, the bundle to keep
 * (`<id16>.trust.json`), the printable certificate (downloaded: its HTML is
 * never put into the app's page), and "verify this agreement" in the Verify view.
 */
import { useState } from 'react'
import type { ApiError, NegotiationState } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { ErrorNote } from '../components/error-note.js'
import { Panel } from '../components/panel.js'
import { downloadText } from '../settings/download-text.js'
import { hasScreen } from '../shell/screens.js'
import { useApp } from '../state/store-context.js'
import type { NameOf } from './party-names.js'
import { PartyLabel } from './party-label.js'

export function bundleFileName(negotiation: string): string {
  return `${negotiation.slice(0, 16)}.trust.json`
}

export function AgreementPanel({ state, nameOf }: { state: NegotiationState; nameOf: NameOf }) {
  const exportNegotiation = useApp((s) => s.exportNegotiation)
  const certificate = useApp((s) => s.negotiationCertificate)
  const openInVerify = useApp((s) => s.openInVerify)
  const notify = useApp((s) => s.notify)
  const [busy, setBusy] = useState<'export' | 'certificate' | 'verify' | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const id16 = state.negotiation.slice(0, 16)

  async function bundleText(): Promise<string | null> {
    const result = await exportNegotiation(state.negotiation)
    if (!result.ok) {
      setError(result.error)
      return null
    }
    return `${JSON.stringify(result.value, null, 2)}\n`
  }
  async function run(kind: 'export' | 'certificate' | 'verify'): Promise<void> {
    setBusy(kind)
    setError(null)
    try {
      if (kind === 'certificate') {
        const result = await certificate(state.negotiation)
        if (!result.ok) setError(result.error)
        else {
          downloadText(`${id16}.certificate.html`, result.value.html, 'text/html')
          notify({ tone: 'success', title: 'Certificate saved', body: `${id16}.certificate.html: open it in a browser to read or print it.` })
        }
        return
      }
      const text = await bundleText()
      if (text === null) return
      if (kind === 'export') {
        downloadText(bundleFileName(state.negotiation), text)
        notify({ tone: 'success', title: 'Agreement exported', body: `${bundleFileName(state.negotiation)}: anyone can verify it offline.` })
      } else openInVerify({ name: bundleFileName(state.negotiation), text })
    } finally {
      setBusy(null)
    }
  }

  const bound = state.bindingHash !== null
  return (
    <Panel title={bound ? 'Signed agreement' : 'Evidence'}>
      {bound ? (
        <dl className="facts">
          <dt>Binding hash</dt>
          <dd className="mono wrap" data-testid="binding-hash">
            {state.bindingHash}
          </dd>
          <dt>Signed by</dt>
          <dd>
            <ul className="plain-list">
              {state.signers.map((s) => (
                <li key={s}>
                  <PartyLabel partyKey={s} nameOf={nameOf} />
                </li>
              ))}
            </ul>
          </dd>
        </dl>
      ) : (
        <p className="muted">Export the signed history at any time: it proves what each party signed, to anyone, offline.</p>
      )}
      <ErrorNote error={error} />
      <div className="form__actions">
        <Button variant={bound ? 'primary' : 'secondary'} busy={busy === 'export'} onClick={() => void run('export')}>
          Export bundle
        </Button>
        {bound ? (
          <Button busy={busy === 'certificate'} onClick={() => void run('certificate')}>
            Save certificate
          </Button>
        ) : null}
        {hasScreen('verify') ? (
          <Button busy={busy === 'verify'} onClick={() => void run('verify')}>
            Verify this agreement
          </Button>
        ) : null}
      </div>
    </Panel>
  )
}
