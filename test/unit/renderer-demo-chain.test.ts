/**
 * The demo's chain layout (src-renderer/src/demo/chain-layout.ts) and the
 * slice's structural sharing, in Node: a lane per author, a column per lamport
 * (concurrent messages side by side, a fork stacked in its cell), an edge per
 * reference, checkpoints on the last message they cover.
 */
import { describe, expect, it } from 'vitest'
import type { DemoMessage, DemoParty, DemoState } from '../../src-main/api.js'
import { layoutChain, NODE_HEIGHT, NODE_WIDTH } from '../../src-renderer/src/demo/chain-layout.js'
import { shareUnchanged } from '../../src-renderer/src/state/demo-slice.js'

const A = 'a'.repeat(64)
const B = 'b'.repeat(64)
const h = (n: number): string => n.toString(16).padStart(64, '0')

function party(side: 'alice' | 'bob', key: string, checkpoints: number[] = []): DemoParty {
  return { side, name: side === 'alice' ? 'Alice' : 'Bob', publicKey: key, fingerprint: null, state: null, receipts: { count: 0, head: null, checkpoints: checkpoints.map((size) => ({ size, time: '2026-01-01T00:00:00.000Z' })) } }
}

function msg(n: number, author: string, lamport: number, refs: number[], receipts: { alice?: number; bob?: number } = {}): DemoMessage {
  return {
    hash: h(n),
    author,
    type: 'OFFER',
    seq: 0,
    lamport,
    refs: refs.map(h),
    time: '2026-01-01T00:00:00.000Z',
    label: `m${n}`,
    signatureValid: true,
    views: (['alice', 'bob'] as const).filter((s) => receipts[s] !== undefined).map((side) => ({ side, verdict: 'applied', receipt: receipts[side]! })),
  }
}

describe('layoutChain', () => {
  const parties = [party('alice', A, [2]), party('bob', B)]
  // 1 (Alice) <- 2 (Bob); then 3 (Alice) and 4 (Bob) concurrent, both on 2; 5 a second version of 4 (same author, lamport).
  const messages = [msg(1, A, 1, [], { alice: 0, bob: 0 }), msg(2, B, 2, [1], { alice: 1, bob: 1 }), msg(3, A, 3, [2], { alice: 2 }), msg(4, B, 3, [2], { bob: 2 }), msg(5, B, 3, [2], { alice: 3 })]
  const layout = layoutChain(messages, parties)
  const at = (n: number) => layout.nodes.find((x) => x.message.hash === h(n))!

  it('puts each author in its lane and each lamport in its column', () => {
    expect(layout.lanes.map((l) => l.label)).toEqual(['Alice', 'Bob'])
    expect(at(1).author).toBe('alice')
    expect(at(2).author).toBe('bob')
    expect(at(1).x).toBeLessThan(at(2).x)
    // Concurrent messages stand side by side in one column.
    expect(at(3).x).toBe(at(4).x)
    expect(at(3).y).toBeLessThan(at(4).y)
    // Two versions in one cell stack without overlapping.
    expect(at(5).x).toBe(at(4).x)
    expect(Math.abs(at(5).y - at(4).y)).toBeGreaterThanOrEqual(NODE_HEIGHT)
    expect(layout.width).toBeGreaterThanOrEqual(at(5).x + NODE_WIDTH)
    expect(layout.height).toBeGreaterThanOrEqual(Math.max(at(4).y, at(5).y) + NODE_HEIGHT)
  })

  it('draws one edge per reference, from the message back to what it references', () => {
    expect(layout.edges.map((e) => [e.from, e.to])).toEqual([
      [h(2), h(1)],
      [h(3), h(2)],
      [h(4), h(2)],
      [h(5), h(2)],
    ])
    for (const e of layout.edges) expect(e.path).toMatch(/^M[\d.]+,[\d.]+C/)
  })

  it('marks a checkpoint on the last message whose receipt it covers, on that side', () => {
    // Alice's checkpoint of size 2 covers her receipts 0 and 1: messages 1 and 2.
    expect(at(2).checkpoints).toEqual(['alice'])
    expect(layout.nodes.filter((n) => n.checkpoints.length > 0)).toHaveLength(1)
  })

  it('gives a key that is neither party a lane of its own', () => {
    const other = layoutChain([...messages, msg(6, 'c'.repeat(64), 4, [3])], parties)
    expect(other.lanes.map((l) => l.label)).toEqual(['Alice', 'Bob', 'Other keys'])
    expect(other.nodes.find((n) => n.message.hash === h(6))!.author).toBeNull()
  })

  it('lays out nothing as an empty chain', () => {
    expect(layoutChain([], parties)).toMatchObject({ nodes: [], edges: [] })
  })
})

describe('shareUnchanged', () => {
  const base = (): DemoState => ({
    session: 1,
    version: 1,
    phase: 'ready',
    busy: false,
    autoplay: false,
    pauseMs: 1200,
    next: 0,
    steps: [],
    negotiation: null,
    parties: [party('alice', A), party('bob', B)],
    messages: [msg(1, A, 1, [])],
    sameBindingHash: false,
    error: null,
  })

  it('keeps the parts that did not change as the same objects, so memoised views skip them', () => {
    const shown = base()
    const next = { ...base(), version: 2, busy: true }
    next.parties = [base().parties[0]!, { ...base().parties[1]!, fingerprint: 'bbbb bbbb bbbb bbbb' }]
    const shared = shareUnchanged(shown, next)
    expect(shared.busy).toBe(true)
    expect(shared.messages).toBe(shown.messages)
    expect(shared.steps).toBe(shown.steps)
    expect(shared.parties[0]).toBe(shown.parties[0])
    expect(shared.parties[1]).toBe(next.parties[1])
  })

  it('takes a new session whole', () => {
    const next = { ...base(), session: 2 }
    expect(shareUnchanged(base(), next)).toBe(next)
  })
})
