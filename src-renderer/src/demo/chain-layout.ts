/**
 * Where each node of the demo's hash chain goes (d3 scales and link paths; React
 * draws them). One node per signed message; a lane per author (Alice above, Bob
 * below, any other key under them); one column per lamport value, so messages
 * that are concurrent (neither saw the other) stand in one column side by side,
 * and two versions of one message (a fork) stack in one cell. An edge runs from a
 * message back to each message it references. DOM-free, so it is tested in Node.
 */
import { linkHorizontal, scaleLinear } from 'd3'
import type { DemoMessage, DemoParty, DemoSide } from '../../../src-main/api.js'

export const NODE_WIDTH = 136
export const NODE_HEIGHT = 62
const COLUMN_GAP = 34
const STACK_GAP = 10
const LANE_PADDING = 14
const MARGIN = 12

export interface ChainNode {
  message: DemoMessage
  /** Top-left corner. */
  x: number
  y: number
  /** The party whose key the envelope names, if it is one of the two. */
  author: DemoSide | null
  /** Sides whose signed checkpoint ends at this message's receipt. */
  checkpoints: DemoSide[]
}

export interface ChainEdge {
  /** The message that references... */
  from: string
  /** ...this one. */
  to: string
  /** SVG path, from the left of `from` to the right of `to`. */
  path: string
}

export interface ChainLane {
  label: string
  author: DemoSide | null
  y: number
  height: number
}

export interface ChainLayout {
  width: number
  height: number
  nodes: ChainNode[]
  edges: ChainEdge[]
  lanes: ChainLane[]
}

const link = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>()

export function layoutChain(messages: readonly DemoMessage[], parties: readonly DemoParty[]): ChainLayout {
  const sideOf = new Map<string, DemoSide>()
  for (const p of parties) if (p.publicKey !== null) sideOf.set(p.publicKey, p.side)
  const laneKeys: (DemoSide | 'other')[] = ['alice', 'bob']
  if (messages.some((m) => !sideOf.has(m.author))) laneKeys.push('other')
  const laneOf = (m: DemoMessage): DemoSide | 'other' => sideOf.get(m.author) ?? 'other'

  // Columns: one per lamport value present, in order.
  const lamports = [...new Set(messages.map((m) => m.lamport))].sort((a, b) => a - b)
  const column = new Map(lamports.map((l, i) => [l, i]))
  const x = scaleLinear()
    .domain([0, Math.max(1, lamports.length - 1)])
    .range([MARGIN, MARGIN + Math.max(1, lamports.length - 1) * (NODE_WIDTH + COLUMN_GAP)])

  // Stacks: several messages of one lane in one column (a fork and its original).
  const stackIndex = new Map<string, number>()
  const deepest = new Map<string, number>(laneKeys.map((k) => [k, 1]))
  const cellCount = new Map<string, number>()
  for (const m of messages) {
    const cell = `${laneOf(m)}:${m.lamport}`
    const k = cellCount.get(cell) ?? 0
    cellCount.set(cell, k + 1)
    stackIndex.set(m.hash, k)
    deepest.set(laneOf(m), Math.max(deepest.get(laneOf(m)) ?? 1, k + 1))
  }
  const laneHeight = (key: string): number => 2 * LANE_PADDING + (deepest.get(key) ?? 1) * (NODE_HEIGHT + STACK_GAP) - STACK_GAP
  // Lanes laid end to end, each as tall as its deepest stack.
  const tops = new Map<string, number>()
  let top = MARGIN
  for (const key of laneKeys) {
    tops.set(key, top)
    top += laneHeight(key)
  }
  const laneTop = (key: string): number => tops.get(key) ?? MARGIN

  const checkpointAt = checkpointMarks(messages, parties)
  const nodes: ChainNode[] = messages.map((m) => {
    const lane = laneOf(m)
    return {
      message: m,
      x: x(column.get(m.lamport)!),
      y: laneTop(lane) + LANE_PADDING + stackIndex.get(m.hash)! * (NODE_HEIGHT + STACK_GAP),
      author: lane === 'other' ? null : lane,
      checkpoints: checkpointAt.get(m.hash) ?? [],
    }
  })
  const byHash = new Map(nodes.map((n) => [n.message.hash, n]))
  const edges: ChainEdge[] = []
  for (const n of nodes) {
    for (const ref of n.message.refs) {
      const target = byHash.get(ref)
      if (target === undefined) continue
      edges.push({
        from: n.message.hash,
        to: ref,
        path: link({ source: [n.x, n.y + NODE_HEIGHT / 2], target: [target.x + NODE_WIDTH, target.y + NODE_HEIGHT / 2] }) ?? '',
      })
    }
  }
  const lanes: ChainLane[] = laneKeys.map((key) => ({
    label: key === 'other' ? 'Other keys' : (parties.find((p) => p.side === key)?.name ?? key),
    author: key === 'other' ? null : key,
    y: laneTop(key),
    height: laneHeight(key),
  }))
  const width = (lamports.length === 0 ? MARGIN : x(lamports.length - 1) + NODE_WIDTH) + MARGIN
  return { width, height: top + MARGIN, nodes, edges, lanes }
}

/**
 * Each checkpoint a side signed covers its receipts [0, size): it is marked on the
 * message whose receipt (on that side) is the last one it covers.
 */
function checkpointMarks(messages: readonly DemoMessage[], parties: readonly DemoParty[]): Map<string, DemoSide[]> {
  const marks = new Map<string, DemoSide[]>()
  for (const p of parties) {
    for (const cp of p.receipts.checkpoints) {
      let best: { hash: string; receipt: number } | null = null
      for (const m of messages) {
        const receipt = m.views.find((v) => v.side === p.side)?.receipt
        if (receipt === null || receipt === undefined || receipt >= cp.size) continue
        if (best === null || receipt > best.receipt) best = { hash: m.hash, receipt }
      }
      if (best === null) continue
      const list = marks.get(best.hash) ?? []
      if (!list.includes(p.side)) list.push(p.side)
      marks.set(best.hash, list)
    }
  }
  return marks
}
