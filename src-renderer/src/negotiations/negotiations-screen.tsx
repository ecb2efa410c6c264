/**
 * Every negotiation of this profile: status, deadline, whom it waits on; search
 * by title and filter by status. Virtualised (TanStack Virtual), so a thousand
 * rows cost what a screenful costs.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react'
import type { NegotiationStatus, NegotiationSummary } from '../../../src-main/api.js'
import { EmptyState } from '../components/empty-state.js'
import { ErrorNote } from '../components/error-note.js'
import { ProgressNote } from '../components/progress-note.js'
import { Screen } from '../components/screen.js'
import { RouteLink } from '../routing/link.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import { ALL_STATUSES, STATUS_TEXT, describeCountdown, waitingText } from './negotiation-text.js'
import { usePartyNames, type NameOf } from './party-names.js'
import { StatusBadge } from './status-badge.js'
import { useNow } from './use-now.js'
import { useReloadAt } from './use-reload-at.js'
import './negotiations.css'

const ROW_HEIGHT = 76
const OPEN: ReadonlySet<NegotiationStatus> = new Set(['INITIATED', 'NEGOTIATING', 'CONSENSUS_REACHED'])
type Filter = 'all' | 'open' | NegotiationStatus

export function NegotiationsScreen() {
  const list = useApp((s) => s.negotiationList)
  const load = useApp((s) => s.loadNegotiationList)
  useEffect(() => void load(), [load])
  const { nameOf } = usePartyNames()
  const [query, setQuery] = useState('')
  const [filter, setFilter] = useState<Filter>('all')
  const deferredQuery = useDeferredValue(query)
  const all = valueOf(list)
  const reload = useCallback(() => void load(), [load])
  useReloadAt(all?.filter((n) => OPEN.has(n.status)).map((n) => Date.parse(n.deadline)) ?? [], reload)

  const shown = useMemo(() => {
    const q = deferredQuery.trim().toLocaleLowerCase()
    return (all ?? [])
      .filter((n) => (filter === 'all' ? true : filter === 'open' ? OPEN.has(n.status) : n.status === filter))
      .filter((n) => q === '' || n.title.toLocaleLowerCase().includes(q))
      .sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0))
  }, [all, deferredQuery, filter])

  const actions = (
    <>
      <RouteLink to={{ view: 'join' }} className="button button--secondary">
        Join by invite
      </RouteLink>
      <RouteLink to={{ view: 'new-negotiation' }} className="button button--primary">
        New negotiation
      </RouteLink>
    </>
  )

  return (
    <Screen title="Negotiations" lead="Everything you are negotiating or have agreed, newest activity first." actions={actions}>
      {list.state === 'failed' ? <ErrorNote error={list.error} /> : null}
      {all === undefined ? (
        list.state === 'failed' ? null : <ProgressNote label="Loading your negotiations…" />
      ) : all.length === 0 ? (
        <EmptyState title="No negotiations yet" actions={actions}>
          <p>
            Start one with people in your contacts: you write the clauses, they get an invite to join. Or, if someone sent you an invite
            (it starts with <code>trust:join/</code>), join their negotiation.
          </p>
        </EmptyState>
      ) : (
        <>
          <Toolbar query={query} onQuery={setQuery} filter={filter} onFilter={setFilter} count={shown.length} total={all.length} />
          {shown.length === 0 ? (
            <EmptyState
              title="Nothing matches"
              actions={
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => {
                    setQuery('')
                    setFilter('all')
                  }}
                >
                  Show all negotiations
                </button>
              }
            >
              <p>No negotiation has that status and a title with those words.</p>
            </EmptyState>
          ) : (
            <NegotiationRows rows={shown} nameOf={nameOf} />
          )}
        </>
      )}
    </Screen>
  )
}

function Toolbar(props: { query: string; onQuery(v: string): void; filter: Filter; onFilter(f: Filter): void; count: number; total: number }) {
  const searchId = useId()
  const filterId = useId()
  return (
    <div className="toolbar" role="search">
      <div className="field toolbar__search">
        <label className="field__label" htmlFor={searchId}>
          Search titles
        </label>
        <div className="field__control">
          <input id={searchId} className="field__input" type="search" value={props.query} onChange={(e) => props.onQuery(e.target.value)} />
        </div>
      </div>
      <div className="field">
        <label className="field__label" htmlFor={filterId}>
          Status
        </label>
        <select id={filterId} className="field__select" value={props.filter} onChange={(e) => props.onFilter(e.target.value as Filter)}>
          <option value="all">All</option>
          <option value="open">Open (not yet binding)</option>
          {ALL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_TEXT[s].label}
            </option>
          ))}
        </select>
      </div>
      <p className="toolbar__count muted" aria-live="polite">
        {props.count === props.total ? `${props.total} ${props.total === 1 ? 'negotiation' : 'negotiations'}` : `${props.count} of ${props.total} negotiations`}
      </p>
    </div>
  )
}

function NegotiationRows({ rows, nameOf }: { rows: NegotiationSummary[]; nameOf: NameOf }) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const now = useNow(30_000)
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 })
  return (
    <div ref={scrollRef} className="vlist" style={{ height: `min(62vh, ${rows.length * ROW_HEIGHT + 2}px)` }} tabIndex={-1}>
      <ul className="vlist__inner" style={{ height: virtualizer.getTotalSize() }} aria-label="Negotiations">
        {virtualizer.getVirtualItems().map((item) => {
          const n = rows[item.index]!
          return (
            <li
              key={n.negotiation}
              className="nrow"
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              aria-setsize={rows.length}
              aria-posinset={item.index + 1}
            >
              <div className="nrow__main">
                <RouteLink to={{ view: 'negotiation', id: n.negotiation }} className="nrow__title inert-name">
                  {n.title}
                </RouteLink>
                <p className="nrow__meta muted">
                  <WaitingLine summary={n} nameOf={nameOf} />
                </p>
              </div>
              <div className="nrow__side">
                <StatusBadge status={n.status} />
                <span className="muted">{OPEN.has(n.status) ? `Deadline: ${describeCountdown(Date.parse(n.deadline), now)}` : `${n.participants.length} parties`}</span>
              </div>
            </li>
          )
        })}
      </ul>
    </div>
  )
}

function WaitingLine({ summary, nameOf }: { summary: NegotiationSummary; nameOf: NameOf }) {
  if (summary.waitingFor === null) return <>{STATUS_TEXT[summary.status].meaning.split('.')[0]}.</>
  const names = summary.waitingOn.map((k) => nameOf(k))
  const you = names.some((w) => w.you)
  const others = names.filter((w) => !w.you).map((w) => (w.known ? w.name : w.fingerprint))
  const who = [...(you ? ['you'] : []), ...others]
  return (
    <>
      Waiting for <span className="inert-name">{joinNames(who)}</span> {waitingText(summary.waitingFor)}
    </>
  )
}

export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? 'no one'
  if (names.length > 4) return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}
