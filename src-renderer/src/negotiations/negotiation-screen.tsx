/**
 * One negotiation: where it stands and what you can do next, the terms with
 * their locks, the parties, the dispute, the agreement as evidence, and the
 * signed timeline. Everything arrives through the store; the event feed keeps
 * it fresh when a counterparty acts.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react'
import type { ApiError, NegotiationState, NegotiationSummary } from '../../../src-main/api.js'
import { ErrorNote } from '../components/error-note.js'
import { Panel } from '../components/panel.js'
import { ProgressNote } from '../components/progress-note.js'
import { Screen } from '../components/screen.js'
import { RouteLink } from '../routing/link.js'
import type { Route } from '../routing/routes.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import { ActionsPanel } from './actions-panel.js'
import { AgreementPanel } from './agreement-panel.js'
import { AppealPanel } from './appeal-panel.js'
import { EquivocationPanel } from './equivocation-panel.js'
import { readHistory } from './history.js'
import { InviteShare } from './invite-share.js'
import { legalActions } from './legal-actions.js'
import { Countdown } from './countdown.js'
import { waitingText } from './negotiation-text.js'
import { joinNames } from './negotiations-screen.js'
import { usePartyNames, type NameOf } from './party-names.js'
import { PartiesPanel } from './parties-panel.js'
import { StatusBadge } from './status-badge.js'
import { TermsPanel } from './terms-panel.js'
import { TimelinePanel } from './timeline-panel.js'
import { useReloadAt } from './use-reload-at.js'
import { useInvite } from './use-invite.js'
import './negotiations.css'

const OPEN = new Set(['INITIATED', 'NEGOTIATING', 'CONSENSUS_REACHED'])

export function NegotiationScreen({ route }: { route: Extract<Route, { view: 'negotiation' }> }) {
  const id = route.id
  const remote = useApp((s) => s.negotiations[id])
  const load = useApp((s) => s.loadNegotiation)
  const loadList = useApp((s) => s.loadNegotiationList)
  const summary = useApp((s) => valueOf(s.negotiationList)?.find((n) => n.negotiation === id))
  useEffect(() => {
    void load(id)
    void loadList()
  }, [id, load, loadList])
  const state = remote ? valueOf(remote) : undefined

  if (state === undefined) {
    if (remote?.state === 'failed') {
      return (
        <Screen title="Negotiation">
          <ErrorNote error={remote.error} />
          <p>
            <RouteLink to={{ view: 'negotiations' }}>Back to all negotiations</RouteLink>
          </p>
        </Screen>
      )
    }
    return (
      <Screen title="Negotiation">
        <ProgressNote label="Opening the negotiation…" />
      </Screen>
    )
  }
  return <Loaded state={state} summary={summary} reload={() => void load(id)} error={remote?.state === 'failed' ? remote.error : null} />
}

function Loaded({ state, summary, reload, error }: { state: NegotiationState; summary: NegotiationSummary | undefined; reload(): void; error: ApiError | null }) {
  const { me, nameOf } = usePartyNames()
  const history = useMemo(() => readHistory(state), [state])
  const legal = useMemo(() => legalActions(state, me ?? '', history), [state, me, history])
  const open = OPEN.has(state.status)
  const deadline = Date.parse(state.deadline)
  const reloadRef = useRef(reload)
  reloadRef.current = reload
  const stableReload = useCallback(() => reloadRef.current(), [])
  useReloadAt([...(open ? [deadline] : []), ...(state.appeal?.status === 'OPEN' ? [Date.parse(state.appeal.due)] : [])], stableReload)
  const waiting = waitingLine(summary, nameOf)
  const isArbiter = me !== null && (state.arbiters?.keys.includes(me) ?? false)
  const showTimelineAt = useApp((s) => s.showTimelineAt)
  const negotiation = state.negotiation
  const onShow = useCallback((index: number) => void showTimelineAt(negotiation, index), [showTimelineAt, negotiation])

  return (
    <Screen
      title={state.title}
      lead={
        <span className="detail-lead">
          <StatusBadge status={state.status} />{' '}
          {open ? (
            <span>
              Deadline <time dateTime={state.deadline}>{new Date(deadline).toLocaleString()}</time> <Countdown until={deadline} testId="deadline-countdown" />
            </span>
          ) : null}
          {isArbiter ? <span className="badge badge--accent">You are an arbiter</span> : null}
        </span>
      }
    >
      <div className="stack-lg detail">
        {error ? <ErrorNote error={error} /> : null}
        <EquivocationPanel state={state} nameOf={nameOf} />
        <ActionsPanel state={state} legal={legal} waiting={waiting} />
        {state.status === 'INITIATED' ? <InvitePanel negotiation={state.negotiation} /> : null}
        <AppealPanel state={state} history={history} legal={legal} nameOf={nameOf} />
        {state.bindingHash !== null ? <AgreementPanel state={state} nameOf={nameOf} /> : null}
        <TermsPanel state={state} history={history} legal={legal} nameOf={nameOf} />
        <PartiesPanel state={state} history={history} nameOf={nameOf} />
        <TimelinePanel state={state} history={history} nameOf={nameOf} onShow={onShow} />
        {state.bindingHash === null ? <AgreementPanel state={state} nameOf={nameOf} /> : null}
        <p className="muted">
          Negotiation id <span className="mono wrap">{state.negotiation}</span>
        </p>
      </div>
    </Screen>
  )
}

function waitingLine(summary: NegotiationSummary | undefined, nameOf: NameOf): string | null {
  if (!summary || summary.waitingFor === null || summary.waitingOn.length === 0) return null
  const names = summary.waitingOn.map(nameOf)
  const you = names.some((n) => n.you)
  const others = names.filter((n) => !n.you).map((n) => (n.known ? n.name : `an unknown party (${n.fingerprint})`))
  const who = joinNames([...(you ? ['you'] : []), ...others])
  return `Waiting for ${who} ${waitingText(summary.waitingFor)}.`
}

function InvitePanel({ negotiation }: { negotiation: string }) {
  const invite = useInvite(negotiation)
  return (
    <Panel title="Invite the other parties">
      {invite.error ? <ErrorNote error={invite.error} /> : invite.value ? <InviteShare invite={invite.value} /> : <ProgressNote label="Preparing the invite…" />}
    </Panel>
  )
}
