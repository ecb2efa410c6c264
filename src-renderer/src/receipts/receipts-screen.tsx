/**
 * Receipts (DESIGN section 7): your signed, hash-linked record of every action
 * taken or seen. The chain at a glance with its verification (timing, and the
 * first bad receipt if any), the latest checkpoint to hand out, the chain drawn
 * a window at a time, and any receipt in full with its inclusion proof.
 */
import { useEffect, useState } from 'react'
import { Button } from '../components/button.js'
import { DateTime } from '../components/date-time.js'
import { EmptyState } from '../components/empty-state.js'
import { ErrorNote } from '../components/error-note.js'
import { Panel } from '../components/panel.js'
import { ProgressNote } from '../components/progress-note.js'
import { Screen } from '../components/screen.js'
import { RouteLink } from '../routing/link.js'
import { hasScreen } from '../shell/screens.js'
import { RECEIPT_WINDOW } from '../state/receipts-slice.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import { formatCount } from './chain-layout.js'
import { ChainView } from './chain-view.js'
import { CheckpointPanel } from './checkpoint-panel.js'
import { ReceiptDetails } from './receipt-details.js'
import '../styles/share.css'
import '../styles/receipts.css'

export function ReceiptsScreen() {
  const receiptWindow = useApp((s) => s.receiptWindow)
  const loadReceiptWindow = useApp((s) => s.loadReceiptWindow)
  const check = useApp((s) => s.receiptsCheck)
  const verifyReceipts = useApp((s) => s.verifyReceipts)
  const showReceipts = useApp((s) => s.showReceipts)
  const [selected, setSelected] = useState<number | null>(null)
  useEffect(() => {
    void loadReceiptWindow()
  }, [loadReceiptWindow])

  const w = valueOf(receiptWindow)
  const report = valueOf(check)
  const firstBad = report && !report.ok ? report.firstBad : undefined
  const receipt = w && selected !== null ? w.receipts[selected - w.from] : undefined

  function showFirstBad(seq: number): void {
    setSelected(seq)
    void showReceipts(Math.max(0, seq - Math.floor(RECEIPT_WINDOW / 2)))
  }

  return (
    <Screen
      title="Receipts"
      lead="Your own signed record of every action you took or saw, each receipt linked to the one before. Checkpoints seal the chain so far, so nobody, you included, can quietly rewrite it."
    >
      {receiptWindow.state === 'failed' ? <ErrorNote error={receiptWindow.error} /> : null}
      {w === undefined ? (
        receiptWindow.state === 'loading' ? <p className="muted">Loading your receipts…</p> : null
      ) : w.summary.count === 0 ? (
        <EmptyState
          title="No receipts yet"
          actions={
            hasScreen('new-negotiation') ? (
              <RouteLink to={{ view: 'new-negotiation' }} className="button button--primary">
                Start a negotiation
              </RouteLink>
            ) : null
          }
        >
          <p>
            Every action you take adds a signed receipt here: creating or joining a negotiation, an offer, an acceptance, a
            signature, and what your counterparties send you.
          </p>
        </EmptyState>
      ) : (
        <div className="stack-lg">
          <div className="grid receipts__top">
            <Panel title="Your chain">
              <dl className="facts">
                <dt>Receipts</dt>
                <dd>{formatCount(w.summary.count)}</dd>
                <dt>Checkpoints</dt>
                <dd>
                  {formatCount(w.summary.checkpoints)}
                  {w.summary.latestCheckpoint ? (
                    <>
                      {' '}
                      (the latest seals {formatCount(w.summary.latestCheckpoint.size)} receipts,{' '}
                      <DateTime iso={w.summary.latestCheckpoint.recorded} />)
                    </>
                  ) : null}
                </dd>
                {w.summary.refusedCheckpoints > 0 ? (
                  <>
                    <dt>Refused</dt>
                    <dd className="receipts__refused">
                      {formatCount(w.summary.refusedCheckpoints)} checkpoint(s) did not match the chain and were kept as evidence.
                    </dd>
                  </>
                ) : null}
              </dl>
              <Button variant="primary" onClick={() => void verifyReceipts()} busy={check.state === 'loading'}>
                Verify the whole chain
              </Button>
              {check.state === 'loading' ? (
                <ProgressNote label="Verifying every link and signature…" />
              ) : check.state === 'failed' ? (
                <ErrorNote error={check.error} />
              ) : report?.ok ? (
                <p className="verify-outcome verify-outcome--ok" role="status">
                  All {formatCount(report.count)} receipts verified in {formatCount(report.ms)} ms: every link holds and every
                  signature checks.
                </p>
              ) : report ? (
                <div className="verify-outcome verify-outcome--bad" role="alert">
                  <p>
                    <strong>Receipt {report.firstBad ?? '?'} failed verification</strong> ({formatCount(report.count)} receipts
                    checked in {formatCount(report.ms)} ms).
                  </p>
                  <p>
                    Receipts before it are intact; from it on, the chain has been changed or damaged. Keep a copy of this profile as
                    evidence.
                  </p>
                  {report.firstBad !== undefined && report.firstBad < w.summary.count ? (
                    <Button onClick={() => showFirstBad(report.firstBad!)}>Show receipt {report.firstBad}</Button>
                  ) : null}
                </div>
              ) : null}
            </Panel>
            <CheckpointPanel />
          </div>
          <Panel title="The chain">
            <ChainView window={w} selected={selected} onSelect={setSelected} firstBad={firstBad} />
          </Panel>
          {receipt ? <ReceiptDetails key={receipt.seq} receipt={receipt} /> : <p className="muted">Choose a receipt to see it in full.</p>}
        </div>
      )}
    </Screen>
  )
}
