/**
 * The signed history, in fold order (the order every party computes alike):
 * each message with its author, a verified mark (its signature checked
 * strictly), what it did, the reason if the fold rejected it, and for an offer
 * the diff against the terms it changed. Virtualised (TanStack Virtual, rows
 * measured as they render), so 10,000 messages scroll like ten.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useRef } from 'react'
import type { NegotiationState, TimelineEntry } from '../../../src-main/api.js'
import { Panel } from '../components/panel.js'
import { EnvelopeDialog } from './envelope-dialog.js'
import type { History } from './history.js'
import { MESSAGE_TEXT, describeReason, shortHash } from './negotiation-text.js'
import { OfferDiff } from './offer-diff.js'
import type { NameOf } from './party-names.js'
import { PartyLabel } from './party-label.js'

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null
}

function Detail({ entry, history, state }: { entry: TimelineEntry; history: History; state: NegotiationState }) {
  const b = entry.body
  switch (entry.type) {
    case 'GENESIS':
      return (
        <p className="timeline__detail">
          “<span className="inert-name">{str(b.title)}</span>” with {Array.isArray(b.clauses) ? b.clauses.length : 0} clauses
        </p>
      )
    case 'OFFER': {
      const offer = history.offers.get(entry.hash)
      return offer ? (
        <div className="timeline__detail">
          {offer.note ? (
            <p>
              <span className="muted">Note: </span>
              <span className="inert-name">{offer.note}</span>
            </p>
          ) : null}
          <OfferDiff before={offer.before} changes={offer.changes} />
        </div>
      ) : null
    }
    case 'LOCK':
      return (
        <p className="timeline__detail">
          Clause <span className="mono inert-name">{str(b.clause)}</span>, text hash <span className="mono">{shortHash(str(b.textHash) ?? '')}</span>
        </p>
      )
    case 'ACCEPT':
    case 'FINALIZE': {
      const h = str(b.termsHash) ?? ''
      return (
        <p className="timeline__detail">
          Terms <span className="mono">{shortHash(h)}</span>
          {h === state.termsHash ? ' (the current terms)' : ''}
        </p>
      )
    }
    case 'WITHDRAW':
    case 'DISPUTE':
      return str(b.reason) ? (
        <p className="timeline__detail">
          <span className="muted">Reason: </span>
          <span className="inert-name">{str(b.reason)}</span>
          {str(b.evidence) ? (
            <>
              <br />
              <span className="muted">Evidence: </span>
              <span className="inert-name">{str(b.evidence)}</span>
            </>
          ) : null}
        </p>
      ) : null
    case 'APPEAL_DECISION':
      return (
        <p className="timeline__detail">
          Outcome: {str(b.outcome)}
          {str(b.remedy) ? (
            <>
              {' '}
              · <span className="muted">Remedy: </span>
              <span className="inert-name">{str(b.remedy)}</span>
            </>
          ) : null}
        </p>
      )
    case 'RESOLVE':
      return (
        <p className="timeline__detail">
          <span className="muted">Settlement: </span>
          <span className="inert-name">{str(b.settlement)}</span>
        </p>
      )
    default:
      return null
  }
}

/**
 * The signed timeline, virtualised: `state.timeline` is the window the store
 * holds (from `timelineFrom`, of `timelineTotal`); scrolling outside it asks
 * for the window there (`onShow`). Memoized: the screen re-renders when the list
 * or the contacts load, and the rows need not follow unless they changed.
 */
export const TimelinePanel = memo(function TimelinePanel({
  state,
  history,
  nameOf,
  onShow,
}: {
  state: NegotiationState
  history: History
  nameOf: NameOf
  onShow(index: number): void
}) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const entries = state.timeline
  const from = state.timelineFrom
  const total = state.timelineTotal
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (entries[i - from]?.type === 'OFFER' ? 150 : 84),
    overscan: 6,
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items.at(-1)?.index ?? 0
  useEffect(() => {
    if (total === 0) return
    const missing = [first, last].find((i) => i < from || i >= from + entries.length)
    if (missing !== undefined && missing < total) onShow(missing)
  }, [first, last, from, entries.length, total, onShow])
  const rejected = state.rejected.length
  return (
    <Panel
      title="Signed timeline"
      actions={
        total > 8 ? (
          <button type="button" className="button button--quiet" onClick={() => virtualizer.scrollToIndex(total - 1, { align: 'end' })}>
            Jump to latest
          </button>
        ) : null
      }
    >
      <p className="muted">
        {total} messages in the order every party computes{rejected > 0 ? `; ${rejected} rejected by the rules` : ''}. Each is signed by its author.
      </p>
      <div ref={scrollRef} className="vlist timeline" tabIndex={0} role="region" aria-label="Signed timeline, scrollable" data-count={total}>
        <ol className="vlist__inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const e = entries[item.index - from]
            if (e === undefined) {
              return (
                <li
                  key={`loading-${item.index}`}
                  data-loading={item.index}
                  ref={virtualizer.measureElement}
                  className="timeline__row timeline__row--loading"
                  style={{ transform: `translateY(${item.start}px)` }}
                  aria-setsize={total}
                  aria-posinset={item.index + 1}
                >
                  <span className="muted">Loading message {item.index + 1}…</span>
                </li>
              )
            }
            const rejectedRow = e.verdict !== 'applied'
            return (
              <li
                key={e.hash}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className={`timeline__row timeline__row--${e.verdict}`}
                style={{ transform: `translateY(${item.start}px)` }}
                aria-setsize={total}
                aria-posinset={item.index + 1}
              >
                <div className="timeline__line">
                  <span className={e.verified ? 'verified' : 'verified verified--bad'} title={e.verified ? 'Signature verified' : 'Signature does not verify'}>
                    {e.verified ? '✓ Verified' : '✗ Bad signature'}
                  </span>
                  <PartyLabel partyKey={e.author} nameOf={nameOf} compact />
                  <span className="timeline__what">{MESSAGE_TEXT[e.type]}</span>
                  <time className="muted" dateTime={e.time}>
                    {new Date(e.time).toLocaleString()}
                  </time>
                  <span className="muted mono">#{e.seq}</span>
                  <EnvelopeDialog negotiation={state.negotiation} hash={e.hash} label={`${MESSAGE_TEXT[e.type]} #${item.index + 1}`} />
                </div>
                {rejectedRow ? (
                  <p className="timeline__reason">
                    <strong>{e.verdict === 'pending' ? 'Waiting' : 'Rejected'}</strong>: {describeReason(e.reason ?? '')} <span className="mono muted">({e.reason})</span>
                  </p>
                ) : null}
                <Detail entry={e} history={history} state={state} />
              </li>
            )
          })}
        </ol>
      </div>
    </Panel>
  )
})
