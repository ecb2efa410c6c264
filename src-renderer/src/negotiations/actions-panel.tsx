/**
 * What this user can do now, and only that (legal-actions.ts mirrors the
 * core's guard): counter-offer, accept, finalize, withdraw, dispute. Each
 * opens the signing dialog with exactly what will be signed.
 */
import { useState } from 'react'
import type { NegotiationState } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { Panel } from '../components/panel.js'
import { useApp } from '../state/store-context.js'
import type { Legal } from './legal-actions.js'
import { STATUS_TEXT } from './negotiation-text.js'
import { OfferEditor } from './offer-editor.js'
import { SignDialog } from './sign-dialog.js'
import { TermsList } from './terms-list.js'
import { TextArea } from './text-area.js'

export function ActionsPanel({ state, legal, waiting }: { state: NegotiationState; legal: Legal; waiting: string | null }) {
  const act = useApp((s) => s.act)
  const [withdrawReason, setWithdrawReason] = useState('')
  const [disputeReason, setDisputeReason] = useState('')
  const [evidence, setEvidence] = useState('')
  const a = legal.actions
  const none = !['offer', 'accept', 'finalize', 'withdraw', 'dispute'].some((x) => a.has(x as never))
  const terms = { label: 'Terms hash', value: state.termsHash }

  return (
    <Panel title="Next step">
      <p>{STATUS_TEXT[state.status].meaning}</p>
      {waiting ? <p className="next-step__waiting">{waiting}</p> : null}
      {none ? null : (
        <div className="form__actions">
          {a.has('finalize') ? (
            <SignDialog
              trigger={<Button variant="primary">Finalize</Button>}
              title="Finalize these terms"
              summary={`Finalizing signs these exact terms as binding on you. When ${state.requiredConsensus} parties have finalized them, they are binding and can never change.`}
              type="FINALIZE"
              body={{ termsHash: state.termsHash }}
              hash={terms}
              signLabel="Sign as binding"
              onSign={() => act('negotiations.finalize', { negotiation: state.negotiation, termsHash: state.termsHash })}
            >
              <TermsList clauses={state.clauses} />
            </SignDialog>
          ) : null}
          {a.has('accept') ? (
            <SignDialog
              trigger={<Button variant={a.has('finalize') ? 'secondary' : 'primary'}>Accept terms</Button>}
              title="Accept these terms"
              summary={`Accepting says you agree to these exact terms. When ${state.requiredConsensus} parties accept them, everyone may finalize. A new offer clears all acceptances.`}
              type="ACCEPT"
              body={{ termsHash: state.termsHash }}
              hash={terms}
              onSign={() => act('negotiations.accept', { negotiation: state.negotiation, termsHash: state.termsHash })}
            >
              <TermsList clauses={state.clauses} />
            </SignDialog>
          ) : null}
          {a.has('offer') ? <OfferEditor state={state} /> : null}
          {a.has('dispute') ? (
            <SignDialog
              trigger={<Button variant="danger">Dispute</Button>}
              title="Dispute the agreement"
              summary="A dispute says a party did not keep the agreement. It opens the appeal: the arbiters decide, or every signer settles. The agreement itself stays on record."
              type="DISPUTE"
              body={disputeReason.trim() === '' ? null : { reason: disputeReason, ...(evidence.trim() === '' ? {} : { evidence }) }}
              hash={state.bindingHash ? { label: 'Binding hash', value: state.bindingHash } : undefined}
              danger
              onSign={() => act('negotiations.dispute', { negotiation: state.negotiation, reason: disputeReason, ...(evidence.trim() === '' ? {} : { evidence }) })}
            >
              <TextArea label="Reason" value={disputeReason} rows={3} maxLength={1000} onChange={(e) => setDisputeReason(e.target.value)} hint="What was not kept, in a sentence or two." />
              <TextArea label="Evidence (optional)" value={evidence} rows={3} maxLength={4000} onChange={(e) => setEvidence(e.target.value)} hint="Dates, amounts, references the arbiters can check." />
            </SignDialog>
          ) : null}
          {a.has('withdraw') ? (
            <SignDialog
              trigger={<Button variant="danger">Withdraw</Button>}
              title="Withdraw from this negotiation"
              summary="Withdrawing ends your part: your acceptances and locks stop counting and you can sign nothing more here. If too few parties remain, the negotiation ends."
              type="WITHDRAW"
              body={withdrawReason.trim() === '' ? {} : { reason: withdrawReason }}
              danger
              signLabel="Sign and withdraw"
              onSign={() => act('negotiations.withdraw', { negotiation: state.negotiation, ...(withdrawReason.trim() === '' ? {} : { reason: withdrawReason }) })}
            >
              <TextArea label="Reason (optional)" value={withdrawReason} rows={2} maxLength={1000} onChange={(e) => setWithdrawReason(e.target.value)} />
            </SignDialog>
          ) : null}
        </div>
      )}
    </Panel>
  )
}
