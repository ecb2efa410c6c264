/**
 * One party as its own engine sees things: its identity, its status, the terms
 * (locked clauses marked), who accepted and signed, its binding hash, its
 * receipt chain and checkpoints, the appeal with its countdown, the evidence it
 * holds, and the last action its engine refused. Everything is that side's
 * answer, so the two panels can (briefly) disagree while a message travels.
 */
import { memo } from 'react'
import type { DemoParty, DemoStep } from '../../../src-main/api.js'
import { Fingerprint } from '../components/fingerprint.js'
import { LockIcon } from '../components/icons.js'
import { AppealCountdown } from './appeal-countdown.js'
import { namesOf, nameOfKey, shortHash, SIDE_NAMES } from './demo-names.js'

export interface PartyPanelProps {
  party: DemoParty
  parties: readonly DemoParty[]
  /** The latest step that this side's engine refused, if any. */
  refused: DemoStep['refused']
  /** The latest update from the other side painted on this one: who acted, and milliseconds from the action to the paint. */
  paintedFrom: string | null
  paintedMs: number | null
}

export const PartyPanel = memo(function PartyPanel({ party, parties, refused, paintedFrom, paintedMs }: PartyPanelProps) {
  const s = party.state
  const headingId = `demo-party-${party.side}`
  const evidence = s?.equivocations ?? []
  return (
    <section className={`demo-party demo-party--${party.side}`} aria-labelledby={headingId} data-side={party.side}>
      <header className="demo-party__header">
        <span className="demo-party__dot" aria-hidden="true" />
        <h2 className="demo-party__name" id={headingId}>
          {party.name}
        </h2>
        {party.fingerprint ? <Fingerprint value={party.fingerprint} /> : <span className="muted">no key yet</span>}
      </header>
      <p className="demo-party__status" data-status={s?.status ?? 'NONE'} aria-label={`${party.name}'s status`}>
        {s?.status ?? (party.publicKey === null ? 'No identity yet' : 'Not in a negotiation yet')}
      </p>
      {s ? (
        <>
          <ul className="demo-party__clauses" aria-label={`Terms as ${party.name} holds them`}>
            {s.clauses.map((c) => {
              const locked = s.lockedClauses.includes(c.id)
              return (
                <li key={c.id} className={locked ? 'is-locked' : undefined}>
                  <span className="demo-party__clause-title">
                    {locked ? <LockIcon /> : null}
                    {c.title}
                    {locked ? <span className="demo-visually-hidden"> (locked)</span> : null}
                  </span>
                  <span className="inert-name">{c.text}</span>
                </li>
              )
            })}
          </ul>
          <dl className="facts demo-party__facts">
            <dt>Terms hash</dt>
            <dd className="mono" title={s.termsHash}>
              {shortHash(s.termsHash)}…
            </dd>
            <dt>Accepted by</dt>
            <dd>{namesOf(s.accepts, parties)}</dd>
            <dt>Signed by</dt>
            <dd>{namesOf(s.signers.length > 0 ? s.signers : s.finalizers, parties)}</dd>
            <dt>Binding hash</dt>
            <dd className="mono wrap demo-party__binding" data-binding-hash={s.bindingHash ?? ''}>
              {s.bindingHash ?? 'none yet'}
            </dd>
            {s.appeal ? (
              <>
                <dt>Appeal</dt>
                <dd>
                  <AppealCountdown appeal={s.appeal} />
                </dd>
              </>
            ) : null}
          </dl>
        </>
      ) : null}
      <dl className="facts demo-party__facts">
        <dt>Receipts</dt>
        <dd>
          {party.receipts.count}
          {party.receipts.head ? <span className="mono muted"> head {shortHash(party.receipts.head)}</span> : null}
        </dd>
        <dt>Checkpoints</dt>
        <dd>
          {party.receipts.checkpoints.length === 0
            ? 'none yet'
            : party.receipts.checkpoints.map((c) => `signed at ${c.size} receipts`).join('; ')}
        </dd>
      </dl>
      {evidence.length > 0 ? (
        <p className="demo-party__evidence" role="note">
          Evidence held: {evidence.map((e) => `${nameOfKey(e.author, parties)} signed ${e.hashes.length} versions of message #${e.seq}`).join('; ')}.
        </p>
      ) : null}
      {refused ? (
        <p className="demo-party__refused">
          Refused before signing: <strong>{refused.reason ?? refused.code}</strong>. Nothing was signed or sent.
        </p>
      ) : null}
      {paintedFrom !== null && paintedMs !== null ? (
        <p className="muted demo-party__painted" data-paint-ms={paintedMs.toFixed(1)}>
          The last update from {paintedFrom} was on this screen {Math.round(paintedMs)} ms after {paintedFrom === SIDE_NAMES.alice ? 'she' : 'he'} acted.
        </p>
      ) : null}
    </section>
  )
})
