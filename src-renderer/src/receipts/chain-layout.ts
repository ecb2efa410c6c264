/**
 * Where the receipt chain is drawn (DESIGN section 7), computed with d3 scales;
 * React draws the SVG from it. A window of receipts snakes across rows (left
 * to right, then right to left), so every `prev` link joins neighbours and a
 * window's height is fixed whatever the chain's length. The overview maps the
 * whole chain, 0..count, onto one axis with the window as a band on it.
 *
 * DOM-free, so unit tests can check the geometry.
 */
import { format, scaleBand, scaleLinear } from 'd3'

export const CHAIN_WIDTH = 880
export const COLUMNS = 8
export const ROW_HEIGHT = 92
export const NODE_HEIGHT = 46
/** Room above a row's nodes for a checkpoint's flag. */
export const FLAG_ROOM = 26

export interface ChainNode {
  seq: number
  /** Position in the window, 0-based. */
  index: number
  row: number
  col: number
  /** Centre. */
  x: number
  y: number
  width: number
}

export interface ChainLink {
  /** The receipt whose `prev` this is, and the one it points to. */
  from: number
  to: number
  /** SVG path from the later receipt's edge to the earlier one's. */
  path: string
}

export interface ChainLayout {
  nodes: ChainNode[]
  links: ChainLink[]
  width: number
  height: number
}

export function layoutChain(from: number, length: number, columns = COLUMNS, width = CHAIN_WIDTH): ChainLayout {
  const rows = Math.max(1, Math.ceil(length / columns))
  const x = scaleBand<number>()
    .domain(Array.from({ length: columns }, (_, i) => i))
    .range([0, width])
    .paddingInner(0.22)
    .paddingOuter(0.11)
  const y = scaleBand<number>()
    .domain(Array.from({ length: rows }, (_, i) => i))
    .range([0, rows * ROW_HEIGHT])
  const nodeWidth = x.bandwidth()

  const nodes: ChainNode[] = []
  for (let index = 0; index < length; index++) {
    const row = Math.floor(index / columns)
    const along = index % columns
    const col = row % 2 === 0 ? along : columns - 1 - along
    nodes.push({
      seq: from + index,
      index,
      row,
      col,
      x: (x(col) ?? 0) + nodeWidth / 2,
      y: (y(row) ?? 0) + FLAG_ROOM + NODE_HEIGHT / 2,
      width: nodeWidth,
    })
  }

  const links: ChainLink[] = []
  for (let i = 1; i < nodes.length; i++) {
    const later = nodes[i]!
    const earlier = nodes[i - 1]!
    let path: string
    if (later.row === earlier.row) {
      // Same row: from the later node's side that faces the earlier one.
      const dir = earlier.x < later.x ? -1 : 1
      path = `M${later.x + (dir * later.width) / 2},${later.y}L${earlier.x - (dir * earlier.width) / 2},${earlier.y}`
    } else {
      // Next row, same column: straight up.
      path = `M${later.x},${later.y - NODE_HEIGHT / 2}L${earlier.x},${earlier.y + NODE_HEIGHT / 2}`
    }
    links.push({ from: later.seq, to: earlier.seq, path })
  }
  return { nodes, links, width, height: rows * ROW_HEIGHT }
}

/** The node after which a checkpoint of `size` sits (it covers receipts 0..size-1), if it is in the window. */
export function checkpointNode(layout: ChainLayout, size: number): ChainNode | undefined {
  const first = layout.nodes[0]
  if (first === undefined) return undefined
  return layout.nodes[size - 1 - first.seq]
}

export interface OverviewTick {
  value: number
  x: number
  label: string
}

export interface ChainOverview {
  width: number
  /** The window's band on the axis. */
  band: { x: number; width: number }
  ticks: OverviewTick[]
  /** x of a receipt position (0..count). */
  at(position: number): number
  /** The receipt position under x, clamped to 0..count-1. */
  positionAt(px: number): number
}

/** Room at each end of the overview's axis for the first and last tick labels. */
const PAD = 28
const thousands = format(',')

export function overviewScale(count: number, from: number, length: number, width = CHAIN_WIDTH): ChainOverview {
  const scale = scaleLinear()
    .domain([0, Math.max(1, count)])
    .range([PAD, width - PAD])
  const x0 = scale(from)
  const x1 = scale(from + length)
  return {
    width,
    // At least 4 px, so a window of 48 among 100,000 receipts stays visible.
    band: { x: Math.min(x0, width - PAD - 4), width: Math.max(4, x1 - x0) },
    ticks: scale
      .ticks(6)
      .filter((value) => Number.isInteger(value))
      .map((value) => ({ value, x: scale(value), label: thousands(value) })),
    at: (position) => scale(position),
    positionAt: (px) => Math.min(Math.max(0, Math.floor(scale.invert(px))), Math.max(0, count - 1)),
  }
}

export const formatCount = (n: number): string => thousands(n)

/** The flag over a node for a label of `chars` characters: centred on it, as wide as the text, kept inside the drawing. */
export function flagBox(node: ChainNode, chars: number, width = CHAIN_WIDTH): { x: number; width: number; centre: number } {
  const w = Math.max(node.width, chars * 6.4 + 12)
  const x = Math.min(Math.max(0, node.x - w / 2), width - w)
  return { x, width: w, centre: x + w / 2 }
}
