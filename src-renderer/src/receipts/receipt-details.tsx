/**
 * One receipt in full, and its inclusion proof (receipts.proof, DESIGN section 7):
 * the audit path from this receipt to a signed checkpoint, which shows a third
 * party that the receipt is in the chain without showing them any other.
 */
import { useState } from 'react'
import type { ApiError, Receipt, ReceiptProof } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { CopyButton } from '../components/copy-button.js'
import { DateTime } from '../components/date-time.js'
import { ErrorNote } from '../components/error-note.js'
import { Panel } from '../components/panel.js'
import { RouteLink } from '../routing/link.js'
import { hasScreen } from '../shell/screens.js'
import { useApp } from '../state/store-context.js'

export function ReceiptDetails({ receipt }: { receipt: Receipt }) {
  const proveReceipt = useApp((s) => s.proveReceipt)
  const [proof, setProof] = useState<ReceiptProof | null>(null)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)

  async function prove(): Promise<void> {
    setBusy(true)
    setFailure(null)
    const result = await proveReceipt(receipt.seq)
    setBusy(false)
    if (result.ok) setProof(result.value)
    else setFailure(result.error)
  }

  return (
    <Panel title={`Receipt ${receipt.seq}`}>
      <dl className="facts receipt-facts">
        <dt>Action</dt>
        <dd className="mono">{receipt.action}</dd>
        <dt>Time</dt>
        <dd>
          <DateTime iso={receipt.time} />
        </dd>
        <dt>Negotiation</dt>
        <dd className="mono wrap">
          {receipt.negotiation === null ? (
            <span className="muted">none</span>
          ) : hasScreen('negotiation') ? (
            <RouteLink to={{ view: 'negotiation', id: receipt.negotiation }}>{receipt.negotiation}</RouteLink>
          ) : (
            receipt.negotiation
          )}
        </dd>
        <dt>Refers to</dt>
        <dd className="mono wrap">{receipt.ref ?? <span className="muted">nothing</span>}</dd>
        <dt>Hash</dt>
        <dd className="mono wrap">{receipt.hash}</dd>
        <dt>Previous</dt>
        <dd className="mono wrap">{receipt.prev}</dd>
        <dt>Signature</dt>
        <dd className="mono wrap receipt-facts__sig">{receipt.sig}</dd>
      </dl>
      <details className="disclosure">
        <summary>Data recorded with it</summary>
        <pre className="code-block wrap">{JSON.stringify(receipt.data, null, 2)}</pre>
      </details>
      {proof && proof.receipt.seq === receipt.seq ? (
        <section className="proof" aria-label="Inclusion proof">
          <h3 className="proof__title">Inclusion proof</h3>
          <p>
            Receipt {proof.index} is leaf {proof.index} of the checkpoint covering {proof.treeSize} receipts. These{' '}
            {proof.path.length} hashes lead from it to the checkpoint’s root:
          </p>
          {proof.path.length > 0 ? (
            <ol className="proof__path mono" start={1}>
              {proof.path.map((h, i) => (
                <li key={`${i}:${h}`} className="wrap">
                  {h}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">None: this receipt is the whole tree, so its hash is the root.</p>
          )}
          <pre className="code-block">{proof.checkpoint}</pre>
          <CopyButton text={JSON.stringify(proof, null, 2)} label="Copy proof" />
        </section>
      ) : (
        <>
          <p className="muted">
            An inclusion proof lets you show this one receipt to someone holding your checkpoint, without showing any other.
          </p>
          <ErrorNote error={failure} />
          <Button onClick={() => void prove()} busy={busy}>
            Make an inclusion proof
          </Button>
        </>
      )}
    </Panel>
  )
}
