/**
 * The receipt chain, drawn: an overview of the whole chain (an axis 0..count with
 * the shown window on it), controls to move the window, and the window itself,
 * each receipt a node with its `prev` link to the one before and checkpoints
 * flagged where they seal the chain. Only the window is ever loaded or drawn,
 * so a chain of 100,000 receipts costs what one of 48 does.
 *
 * Keyboard: the nodes are one tab stop; arrows move between receipts (and the
 * window along with them at its edges), Home/End go to the window's ends,
 * PageUp/PageDown move a whole window, Enter or Space opens a receipt.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react'
import type { Receipt } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { RECEIPT_WINDOW, windowStart, type ReceiptWindow } from '../state/receipts-slice.js'
import { useApp } from '../state/store-context.js'
import { checkpointNode, FLAG_ROOM, flagBox, formatCount, layoutChain, NODE_HEIGHT, overviewScale } from './chain-layout.js'

export interface ChainViewProps {
  window: ReceiptWindow
  selected: number | null
  onSelect(seq: number): void
  /** Seq of the first receipt that failed verification, when the last check failed. */
  firstBad: number | undefined
}

/** The last word of an action (`negotiation.received` -> `received`): the node is small; the full one is in its label. */
function shortAction(action: string): string {
  const text = action.slice(action.lastIndexOf('.') + 1)
  return text.length > 14 ? `${text.slice(0, 13)}…` : text
}

export function ChainView({ window: w, selected, onSelect, firstBad }: ChainViewProps) {
  const showReceipts = useApp((s) => s.showReceipts)
  const count = w.summary.count
  const length = w.receipts.length
  const end = w.from + length
  const layout = useMemo(() => layoutChain(w.from, length), [w.from, length])
  const overview = useMemo(() => overviewScale(count, w.from, length), [count, w.from, length])
  const [focusSeq, setFocusSeq] = useState<number | null>(null)
  const pendingFocus = useRef<number | null>(null)
  const svg = useRef<SVGSVGElement>(null)
  const positionId = useId()
  const [goTo, setGoTo] = useState('')

  const activeSeq = focusSeq !== null && focusSeq >= w.from && focusSeq < end ? focusSeq : selected !== null && selected >= w.from && selected < end ? selected : w.from

  // After the window moved for a key press, focus lands on the receipt the key asked for.
  useEffect(() => {
    const seq = pendingFocus.current
    if (seq === null || seq < w.from || seq >= end) return
    pendingFocus.current = null
    setFocusSeq(seq)
    svg.current?.querySelector<SVGGElement>(`[data-seq="${seq}"]`)?.focus()
  }, [w.from, end])

  function move(position: number | 'latest'): void {
    const from = position === 'latest' ? windowStart('latest', count) : windowStart(position, count)
    // Reaching the end follows new receipts as they arrive.
    void showReceipts(from >= windowStart('latest', count) ? 'latest' : from)
  }

  function focusReceipt(seq: number): void {
    const target = Math.min(Math.max(0, seq), count - 1)
    if (target >= w.from && target < end) {
      setFocusSeq(target)
      svg.current?.querySelector<SVGGElement>(`[data-seq="${target}"]`)?.focus()
    } else {
      pendingFocus.current = target
      move(target < w.from ? target - RECEIPT_WINDOW + 1 : target)
    }
  }

  function onKey(event: KeyboardEvent, seq: number): void {
    const to: Record<string, number | undefined> = {
      ArrowRight: seq + 1,
      ArrowDown: seq + 1,
      ArrowLeft: seq - 1,
      ArrowUp: seq - 1,
      Home: w.from,
      End: end - 1,
      PageDown: seq + RECEIPT_WINDOW,
      PageUp: seq - RECEIPT_WINDOW,
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      onSelect(seq)
      return
    }
    const target = to[event.key]
    if (target === undefined) return
    event.preventDefault()
    focusReceipt(target)
  }

  function onOverviewClick(event: MouseEvent<SVGSVGElement>): void {
    const box = event.currentTarget.getBoundingClientRect()
    const px = ((event.clientX - box.left) / box.width) * overview.width
    move(overview.positionAt(px) - Math.floor(RECEIPT_WINDOW / 2))
  }

  const byseq = (seq: number): Receipt | undefined => w.receipts[seq - w.from]
  const lastStart = windowStart('latest', count)

  return (
    <div className="chain">
      <div className="chain__nav">
        <p className="chain__position" id={positionId} aria-live="polite">
          Receipts <strong>{formatCount(w.from)}</strong> to <strong>{formatCount(end - 1)}</strong> of {formatCount(count)}
        </p>
        <div className="chain__buttons">
          <Button variant="quiet" disabled={w.from === 0} onClick={() => move(0)}>
            First
          </Button>
          <Button variant="quiet" disabled={w.from === 0} onClick={() => move(w.from - RECEIPT_WINDOW)}>
            Earlier
          </Button>
          <Button variant="quiet" disabled={w.from >= lastStart} onClick={() => move(w.from + RECEIPT_WINDOW)}>
            Later
          </Button>
          <Button variant="quiet" disabled={w.from >= lastStart} onClick={() => move('latest')}>
            Latest
          </Button>
          <form
            className="chain__goto"
            onSubmit={(e) => {
              e.preventDefault()
              const seq = Number(goTo)
              if (goTo.trim() === '' || !Number.isInteger(seq) || seq < 0 || seq >= count) return
              move(seq - Math.floor(RECEIPT_WINDOW / 2))
              onSelect(seq)
            }}
          >
            <label className="field__label" htmlFor={`${positionId}-goto`}>
              Receipt number
            </label>
            <input
              id={`${positionId}-goto`}
              className="field__select chain__goto-input"
              type="number"
              min={0}
              max={Math.max(0, count - 1)}
              value={goTo}
              onChange={(e) => setGoTo(e.target.value)}
            />
            <Button type="submit">Show</Button>
          </form>
        </div>
      </div>

      {/* The whole chain on one axis; a click moves the window there (the buttons and the slider do it by keyboard). */}
      <svg className="chain__overview" viewBox={`0 0 ${overview.width} 46`} aria-hidden="true" onClick={onOverviewClick}>
        <line className="chain__axis" x1={overview.at(0)} x2={overview.at(count)} y1={16} y2={16} />
        <rect className="chain__band" x={overview.band.x} y={6} width={overview.band.width} height={20} rx={3} />
        {w.summary.latestCheckpoint ? (
          <line className="chain__axis-checkpoint" x1={overview.at(w.summary.latestCheckpoint.size)} x2={overview.at(w.summary.latestCheckpoint.size)} y1={4} y2={28} />
        ) : null}
        {firstBad !== undefined ? <rect className="chain__axis-bad" x={overview.at(firstBad)} y={4} width={Math.max(2, overview.at(count) - overview.at(firstBad))} height={24} /> : null}
        {overview.ticks.map((t) => (
          <g key={t.value}>
            <line className="chain__tick" x1={t.x} x2={t.x} y1={22} y2={28} />
            <text className="chain__tick-label" x={t.x} y={42} textAnchor="middle">
              {t.label}
            </text>
          </g>
        ))}
      </svg>
      <input
        className="chain__slider"
        type="range"
        min={0}
        max={Math.max(0, lastStart)}
        step={1}
        value={w.from}
        aria-label="Position in the chain"
        aria-valuetext={`receipts ${w.from} to ${end - 1} of ${count}`}
        disabled={lastStart === 0}
        onChange={(e) => move(Number(e.target.value))}
      />

      <svg
        ref={svg}
        className="chain__drawing"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="group"
        aria-label={`Receipts ${w.from} to ${end - 1}, each linked to the one before`}
        aria-describedby={positionId}
      >
        <defs>
          <marker id="chain-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0L10,5L0,10z" className="chain__arrowhead" />
          </marker>
        </defs>
        {layout.links.map((l) => (
          <path key={l.from} className={firstBad !== undefined && l.from >= firstBad ? 'chain__link is-bad' : 'chain__link'} d={l.path} markerEnd="url(#chain-arrow)" />
        ))}
        {w.checkpoints.map((c) => {
          const node = checkpointNode(layout, c.size)
          if (!node) return null
          const top = node.y - NODE_HEIGHT / 2
          const label = `checkpoint ${formatCount(c.size)}`
          const flag = flagBox(node, label.length, layout.width)
          return (
            <g key={c.size} className="chain__checkpoint">
              <line x1={node.x} x2={node.x} y1={top - 6} y2={top} />
              <rect x={flag.x} y={top - FLAG_ROOM + 2} width={flag.width} height={18} rx={4} />
              <text x={flag.centre} y={top - FLAG_ROOM + 15} textAnchor="middle">
                {label}
              </text>
            </g>
          )
        })}
        {layout.nodes.map((n) => {
          const receipt = byseq(n.seq)
          const bad = firstBad !== undefined && n.seq >= firstBad
          const sealed = w.checkpoints.some((c) => c.size === n.seq + 1)
          const classes = ['chain__node', bad ? 'is-bad' : '', n.seq === selected ? 'is-selected' : ''].filter(Boolean).join(' ')
          return (
            <g
              key={n.seq}
              data-seq={n.seq}
              className={classes}
              role="button"
              tabIndex={n.seq === activeSeq ? 0 : -1}
              aria-pressed={n.seq === selected}
              aria-label={`Receipt ${n.seq}: ${receipt?.action ?? ''}${sealed ? ', sealed by a checkpoint' : ''}${bad ? ', failed verification' : ''}`}
              onClick={() => {
                setFocusSeq(n.seq)
                onSelect(n.seq)
              }}
              onFocus={() => setFocusSeq(n.seq)}
              onKeyDown={(e) => onKey(e, n.seq)}
            >
              <rect className="chain__ring" x={n.x - n.width / 2 - 4} y={n.y - NODE_HEIGHT / 2 - 4} width={n.width + 8} height={NODE_HEIGHT + 8} rx={10} />
              <rect className="chain__box" x={n.x - n.width / 2} y={n.y - NODE_HEIGHT / 2} width={n.width} height={NODE_HEIGHT} rx={7} />
              <text className="chain__seq" x={n.x} y={n.y - 4} textAnchor="middle">
                {bad ? '✕ ' : ''}#{formatCount(n.seq)}
              </text>
              <text className="chain__action" x={n.x} y={n.y + 13} textAnchor="middle">
                {receipt ? shortAction(receipt.action) : ''}
              </text>
            </g>
          )
        })}
      </svg>
      <p className="muted chain__legend">
        Each receipt holds the hash of the one before it (the arrows), so changing any receipt breaks every link after it. A
        flag marks a signed checkpoint sealing every receipt up to it.
      </p>
    </div>
  )
}
