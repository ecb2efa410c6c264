/**
 * The hash chain as a DAG (layout from chain-layout.ts, drawn by React: d3 only
 * computes). Each node is one signed message, in its author's colour, with its
 * type, a few words, its short hash, the receipts each side wrote for it and the
 * checkpoints that end there; arrows run to the messages it references. Nodes are
 * buttons: choosing one opens its signed envelope. A node fades in when it is
 * first drawn (a CSS animation on insertion; none when the system asks for less
 * motion) and the view jumps to keep the newest in sight.
 */
import { memo, useEffect, useMemo, useRef } from 'react'
import type { DemoMessage, DemoParty, DemoSide } from '../../../src-main/api.js'
import { layoutChain, NODE_HEIGHT, NODE_WIDTH } from './chain-layout.js'
import { listText, nameOfKey, shortHash, SIDE_NAMES } from './demo-names.js'

export interface HashChainProps {
  messages: readonly DemoMessage[]
  parties: readonly DemoParty[]
  selected: string | null
  onSelect(hash: string): void
}

const isRejected = (m: DemoMessage): boolean => m.views.some((v) => v.verdict === 'rejected')

/** What a screen reader hears for a node (it starts with the visible text). */
function describe(m: DemoMessage, checkpoints: readonly DemoSide[], parties: readonly DemoParty[]): string {
  const verdicts = m.views.map((v) => `${v.verdict} by ${SIDE_NAMES[v.side]}${v.reason ? ` (${v.reason})` : ''}`)
  const receipts = m.views.filter((v) => v.receipt !== null).map((v) => SIDE_NAMES[v.side])
  return [
    `${m.type} ${m.label} ${shortHash(m.hash)}`,
    `by ${nameOfKey(m.author, parties)}${m.signatureValid ? '' : ', signature does not verify'}`,
    listText(verdicts),
    receipts.length > 0 ? `receipt written by ${listText(receipts)}` : 'no receipt yet',
    checkpoints.length > 0 ? `checkpoint signed here by ${listText(checkpoints.map((s) => SIDE_NAMES[s]))}` : '',
  ]
    .filter(Boolean)
    .join('; ')
}

export const HashChain = memo(function HashChain({ messages, parties, selected, onSelect }: HashChainProps) {
  const layout = useMemo(() => layoutChain(messages, parties), [messages, parties])
  const scroller = useRef<HTMLDivElement>(null)
  // Keep the newest message in view (a jump, not a scroll animation: the new node itself fades in).
  const count = layout.nodes.length
  useEffect(() => {
    // In the next frame, where layout is computed anyway: reading it here could force an extra one.
    const frame = requestAnimationFrame(() => {
      const el = scroller.current
      if (el === null || count === 0) return
      if (el.scrollLeft + el.clientWidth < el.scrollWidth - 4) el.scrollLeft = el.scrollWidth
    })
    return () => cancelAnimationFrame(frame)
  }, [count])

  const rejected = new Set(messages.filter(isRejected).map((m) => m.hash))

  if (count === 0) {
    return <p className="muted demo-chain__empty">No signed message yet. The first is Alice&apos;s GENESIS, which opens the negotiation.</p>
  }
  return (
    <div className="demo-chain-frame">
      {/* The lane names stay in sight while the chain scrolls. */}
      <div className="demo-chain__labels" style={{ height: layout.height }} aria-hidden="true">
        {layout.lanes.map((lane) => (
          <span key={lane.label} className={`demo-chain__label demo-chain__lane--${lane.author ?? 'other'}`} style={{ top: lane.y, height: lane.height }}>
            {lane.label}
          </span>
        ))}
      </div>
      <div className="demo-chain" ref={scroller}>
        <div className="demo-chain__canvas" style={{ width: layout.width, height: layout.height }} data-nodes={count}>
          <svg className="demo-chain__edges" width={layout.width} height={layout.height} aria-hidden="true" focusable="false">
            <defs>
              <marker id="demo-chain-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" />
              </marker>
            </defs>
            {layout.lanes.map((lane) => (
              <g key={lane.label} className={`demo-chain__lane demo-chain__lane--${lane.author ?? 'other'}`}>
                <rect x={0} y={lane.y} width={layout.width} height={lane.height} />
              </g>
            ))}
            {layout.edges.map((e) => (
              <path
                key={`${e.from}-${e.to}`}
                d={e.path}
                className={rejected.has(e.from) ? 'demo-chain__edge is-rejected' : 'demo-chain__edge'}
                markerEnd="url(#demo-chain-arrow)"
              />
            ))}
          </svg>
          <ul className="demo-chain__nodes" aria-label="Signed messages, oldest first">
            {layout.nodes.map((node) => (
              <ChainNodeItem
                key={node.message.hash}
                message={node.message}
                x={node.x}
                y={node.y}
                author={node.author}
                checkpoints={node.checkpoints.join(' ')}
                selected={selected === node.message.hash}
                parties={parties}
                onSelect={onSelect}
              />
            ))}
          </ul>
        </div>
      </div>
    </div>
  )
})

interface ChainNodeProps {
  message: DemoMessage
  x: number
  y: number
  author: DemoSide | null
  /** Sides whose checkpoint ends here, space-separated (a string, so an unchanged node is not drawn again). */
  checkpoints: string
  selected: boolean
  parties: readonly DemoParty[]
  onSelect(hash: string): void
}

/** One node: redrawn only when its message, place or marks change (each engine event changes one or two). */
const ChainNodeItem = memo(function ChainNodeItem({ message: m, x, y, author, checkpoints, selected, parties, onSelect }: ChainNodeProps) {
  const marks = checkpoints === '' ? [] : (checkpoints.split(' ') as DemoSide[])
  const classes = [
    'demo-node',
    `demo-node--${author ?? 'other'}`,
    isRejected(m) ? 'is-rejected' : '',
    m.signatureValid ? '' : 'is-forged',
    m.views.length < 2 ? 'is-partial' : '',
  ]
  return (
    <li className="demo-chain__item" style={{ left: x, top: y, width: NODE_WIDTH, height: NODE_HEIGHT }}>
      <button
        type="button"
        className={classes.filter(Boolean).join(' ')}
        aria-pressed={selected}
        aria-label={describe(m, marks, parties)}
        data-hash={m.hash}
        data-type={m.type}
        onClick={() => onSelect(m.hash)}
      >
        <span className="demo-node__type">{m.type}</span>
        <span className="demo-node__label">{m.label}</span>
        <span className="demo-node__foot">
          <span className="demo-node__hash mono">{shortHash(m.hash)}</span>
          <span className="demo-node__marks" aria-hidden="true">
            {(['alice', 'bob'] as const).map((side) => {
              const view = m.views.find((v) => v.side === side)
              const mark = view === undefined ? '' : view.verdict === 'rejected' ? '✕' : view.receipt !== null ? '✓' : '·'
              const title = `${SIDE_NAMES[side]}: ${view ? `${view.verdict}${view.receipt !== null ? `, receipt #${view.receipt}` : ''}` : 'not held'}`
              return (
                <span key={side} className={`demo-node__mark demo-node__mark--${side}${view === undefined ? ' is-missing' : ''}`} title={title}>
                  {side === 'alice' ? 'A' : 'B'}
                  {mark}
                </span>
              )
            })}
            {marks.length > 0 ? (
              <span className="demo-node__checkpoint" title={`Checkpoint signed by ${listText(marks.map((s) => SIDE_NAMES[s]))}`}>
                ⚑
              </span>
            ) : null}
          </span>
        </span>
      </button>
    </li>
  )
})
