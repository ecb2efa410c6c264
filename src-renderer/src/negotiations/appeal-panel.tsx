/**
 * A dispute and its appeal: who disputed and why (their words, inert), the due
 * time counting down, the outcome; the decision form for an arbiter, the
 * settlement form for a signer.
 */
import { useId, useState } from 'react'
import type { NegotiationState } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { Panel } from '../components/panel.js'
import { useApp } from '../state/store-context.js'
import { disputeOf, type History } from './history.js'
import type { Legal } from './legal-actions.js'
import { Countdown } from './countdown.js'
import type { NameOf } from './party-names.js'
import { PartyLabel } from './party-label.js'
import { SignDialog } from './sign-dialog.js'
import { TextArea } from './text-area.js'

const APPEAL_TEXT = {
  OPEN: 'Open: waiting for the arbiters’ decision or a settlement by every signer.',
  DECIDED: 'Decided by the arbiters.',
  SETTLED: 'Settled by every signer.',
  LAPSED: 'Lapsed: the due time passed without a decision. The agreement stays disputed.',
} as const

export function AppealPanel({ state, history, legal, nameOf }: { state: NegotiationState; history: History; legal: Legal; nameOf: NameOf }) {
  const appeal = state.appeal
  const act = useApp((s) => s.act)
  const [outcome, setOutcome] = useState<'upheld' | 'rejected'>('upheld')
  const [remedy, setRemedy] = useState('')
  const [settlement, setSettlement] = useState('')
  const outcomeId = useId()
  if (appeal === null) return null
  const dispute = disputeOf(state)
  const due = Date.parse(appeal.due)
  return (
    <Panel title="Dispute">
      {dispute ? (
        <>
          <p>
            <PartyLabel partyKey={dispute.author} nameOf={nameOf} /> disputed the agreement on {new Date(dispute.time).toLocaleString()}:
          </p>
          <blockquote className="quote">
            <p className="inert-name">{dispute.reason}</p>
            {dispute.evidence ? (
              <p className="inert-name">
                <span className="muted">Evidence: </span>
                {dispute.evidence}
              </p>
            ) : null}
          </blockquote>
        </>
      ) : null}
      <dl className="facts">
        <dt>Appeal</dt>
        <dd>{APPEAL_TEXT[appeal.status]}</dd>
        <dt>Due</dt>
        <dd>
          <time dateTime={appeal.due}>{new Date(due).toLocaleString()}</time>{' '}
          {appeal.status === 'OPEN' ? <Countdown until={due} testId="appeal-countdown" /> : null}
        </dd>
        {appeal.outcome ? (
          <>
            <dt>Outcome</dt>
            <dd>{appeal.outcome === 'upheld' ? 'Dispute upheld' : appeal.outcome === 'rejected' ? 'Dispute rejected' : 'Settled'}</dd>
          </>
        ) : null}
        {appeal.remedy ? (
          <>
            <dt>Remedy</dt>
            <dd className="inert-name">{appeal.remedy}</dd>
          </>
        ) : null}
        {appeal.settlement ? (
          <>
            <dt>Settlement</dt>
            <dd className="inert-name">{appeal.settlement}</dd>
          </>
        ) : null}
        <dt>Dispute message</dt>
        <dd className="mono wrap">{appeal.dispute}</dd>
      </dl>
      {history.settlements.size > 0 && appeal.status === 'OPEN' ? (
        <ul className="plain-list stack">
          {[...history.settlements].map(([who, text]) => (
            <li key={who}>
              <PartyLabel partyKey={who} nameOf={nameOf} compact /> proposes: <span className="inert-name">{text}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="form__actions">
        {legal.actions.has('decide') ? (
          <SignDialog
            trigger={<Button variant="primary">Decide as arbiter</Button>}
            title="Decide the appeal"
            summary={`Your decision counts once. When ${state.arbiters?.threshold ?? 1} arbiters reach the same outcome, the appeal is decided.`}
            type="APPEAL_DECISION"
            body={{ dispute: appeal.dispute, outcome, ...(remedy.trim() === '' ? {} : { remedy }) }}
            hash={{ label: 'Dispute', value: appeal.dispute }}
            onSign={() => act('negotiations.decide', { negotiation: state.negotiation, outcome, ...(remedy.trim() === '' ? {} : { remedy }) })}
          >
            <fieldset className="picker">
              <legend className="field__label" id={outcomeId}>
                Outcome
              </legend>
              <label className="check">
                <input type="radio" name={outcomeId} checked={outcome === 'upheld'} onChange={() => setOutcome('upheld')} /> Uphold the dispute
              </label>
              <label className="check">
                <input type="radio" name={outcomeId} checked={outcome === 'rejected'} onChange={() => setOutcome('rejected')} /> Reject the dispute
              </label>
            </fieldset>
            <TextArea label="Remedy (optional)" value={remedy} rows={3} maxLength={2000} onChange={(e) => setRemedy(e.target.value)} />
          </SignDialog>
        ) : null}
        {legal.actions.has('resolve') ? (
          <SignDialog
            trigger={<Button variant="secondary">Propose a settlement</Button>}
            title="Settle the dispute"
            summary="When every signer sends the same settlement, the dispute is settled. Your latest proposal is the one that counts."
            type="RESOLVE"
            body={settlement.trim() === '' ? null : { dispute: appeal.dispute, settlement }}
            hash={{ label: 'Dispute', value: appeal.dispute }}
            onSign={() => act('negotiations.resolve', { negotiation: state.negotiation, settlement })}
          >
            <TextArea label="Settlement" value={settlement} rows={3} maxLength={2000} onChange={(e) => setSettlement(e.target.value)} hint="Every signer must send exactly the same text." />
          </SignDialog>
        ) : null}
      </div>
    </Panel>
  )
}
