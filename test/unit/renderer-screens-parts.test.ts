/**
 * The pure parts of the contacts, receipts, verify and settings screens: the
 * chain's geometry (d3 scales; every prev link joins neighbours; the overview's
 * band stays visible), where a window starts, the figures read from a real
 * prom-client registry, and the size and encoding checks done on a picked file
 * before anything is sent.
 */
import { describe, expect, it } from 'vitest'
import { readMetrics } from '../../src-main/core/node/diagnostics-api.js'
import { createMetrics } from '../../src-main/core/telemetry/metrics.js'
import { checkpointNode, COLUMNS, layoutChain, overviewScale } from '../../src-renderer/src/receipts/chain-layout.js'
import { describeSeconds, metricFigures } from '../../src-renderer/src/settings/metric-figures.js'
import { RECEIPT_WINDOW, windowStart } from '../../src-renderer/src/state/receipts-slice.js'
import { MAX_BUNDLE_BYTES, readBundleFile, type FileLike } from '../../src-renderer/src/verify/read-bundle-file.js'
import { scoreWord } from '../../src-renderer/src/contacts/score-word.js'

describe('receipt chain layout', () => {
  it('snakes a window across rows so each prev link joins neighbours', () => {
    const layout = layoutChain(1000, RECEIPT_WINDOW)
    expect(layout.nodes.map((n) => n.seq)).toEqual(Array.from({ length: RECEIPT_WINDOW }, (_, i) => 1000 + i))
    expect(layout.links).toHaveLength(RECEIPT_WINDOW - 1)
    // Row 0 runs left to right, row 1 right to left, and a row change keeps the column.
    expect(layout.nodes.slice(0, COLUMNS).map((n) => n.col)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(layout.nodes.slice(COLUMNS, 2 * COLUMNS).map((n) => n.col)).toEqual([7, 6, 5, 4, 3, 2, 1, 0])
    for (const link of layout.links) {
      const later = layout.nodes.find((n) => n.seq === link.from)!
      const earlier = layout.nodes.find((n) => n.seq === link.to)!
      expect(link.to).toBe(link.from - 1)
      expect(Math.abs(later.col - earlier.col) + Math.abs(later.row - earlier.row)).toBe(1)
    }
    // Nodes never overlap and stay inside the drawing.
    for (const n of layout.nodes) {
      expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0)
      expect(n.x + n.width / 2).toBeLessThanOrEqual(layout.width)
    }
    expect(layout.height).toBe(Math.ceil(RECEIPT_WINDOW / COLUMNS) * 92)
  })

  it('finds the node a checkpoint seals (the last receipt it covers), only inside the window', () => {
    const layout = layoutChain(990, 20)
    expect(checkpointNode(layout, 1000)?.seq).toBe(999)
    expect(checkpointNode(layout, 990)).toBeUndefined()
    expect(checkpointNode(layout, 1011)).toBeUndefined()
    expect(checkpointNode(layoutChain(0, 0), 1)).toBeUndefined()
  })

  it('draws the whole chain on one axis, the window a band that never vanishes, and maps clicks back', () => {
    const o = overviewScale(100_000, 50_000, RECEIPT_WINDOW)
    expect(o.band.width).toBeGreaterThanOrEqual(4)
    expect(o.ticks.map((t) => t.label)).toEqual(['0', '20,000', '40,000', '60,000', '80,000', '100,000'])
    expect(o.ticks.every((t) => Number.isInteger(t.value))).toBe(true)
    expect(o.positionAt(o.at(25_000))).toBe(25_000)
    expect(o.positionAt(-100)).toBe(0)
    expect(o.positionAt(10_000)).toBe(99_999)
    expect(overviewScale(3, 0, 3).ticks.map((t) => t.value)).toEqual([0, 1, 2, 3])
  })

  it('a window starts inside the chain, at the end for the latest', () => {
    expect(windowStart('latest', 100_000)).toBe(100_000 - RECEIPT_WINDOW)
    expect(windowStart('latest', 10)).toBe(0)
    expect(windowStart(-5, 1000)).toBe(0)
    expect(windowStart(999, 1000)).toBe(1000 - RECEIPT_WINDOW)
    expect(windowStart(10.7, 1000)).toBe(10)
  })
})

describe('figures from the metrics', () => {
  it('reads what a person cares about from a real registry', async () => {
    const metrics = createMetrics()
    metrics.negotiationsCreated.inc(3)
    metrics.connectedPeers.set(2)
    metrics.activeNegotiations.set(1)
    metrics.timeToBinding.observe(30)
    metrics.timeToBinding.observe(90)
    metrics.rejected('SUPERSEDED')
    metrics.rejected('SUPERSEDED')
    metrics.rejected('<script>') // a label from a peer: counted as other
    const { families } = await readMetrics(metrics)
    expect(metricFigures(families)).toEqual({
      connectedPeers: 2,
      activeNegotiations: 1,
      negotiationsCreated: 3,
      bindings: 2,
      meanSecondsToBinding: 60,
      rejectedTotal: 3,
      rejectedByReason: [
        { reason: 'SUPERSEDED', count: 2 },
        { reason: 'other', count: 1 },
      ],
      rateLimited: 0,
    })
  })

  it('says nothing rather than zero for a figure it does not have', async () => {
    expect(metricFigures([])).toMatchObject({ connectedPeers: null, bindings: null, meanSecondsToBinding: null, rejectedByReason: [] })
    const { families } = await readMetrics(createMetrics())
    expect(metricFigures(families)).toMatchObject({ bindings: 0, meanSecondsToBinding: null })
  })

  it('words durations and scores', () => {
    expect(describeSeconds(42)).toBe('42 s')
    expect(describeSeconds(210)).toBe('3.5 min')
    expect(describeSeconds(7560)).toBe('2.1 h')
    expect(describeSeconds(4 * 86_400)).toBe('4.0 days')
    expect([0, 0.34, 0.35, 0.5, 0.65, 0.66, 1].map(scoreWord)).toEqual(['low', 'low', 'neutral', 'neutral', 'neutral', 'high', 'high'])
  })
})

describe('reading a picked agreement file', () => {
  const file = (name: string, bytes: Uint8Array, size = bytes.length): FileLike & { reads: number } => {
    const f = {
      name,
      size,
      reads: 0,
      async arrayBuffer() {
        f.reads++
        return bytes.slice().buffer
      },
    }
    return f
  }

  it('refuses a file over 16 MiB before reading a byte', async () => {
    const big = file('big.trust.json', new Uint8Array(0), MAX_BUNDLE_BYTES + 1)
    expect(await readBundleFile(big)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } })
    expect(big.reads).toBe(0)
  })

  it('refuses an empty file and one that is not UTF-8', async () => {
    expect(await readBundleFile(file('empty.trust.json', new Uint8Array(0)))).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const latin1 = file('x.trust.json', new Uint8Array([0x7b, 0xe9, 0x7d]))
    expect(await readBundleFile(latin1)).toMatchObject({ ok: false, error: { code: 'INVALID_ENCODING' } })
  })

  it('hands over the exact text and the name', async () => {
    const text = '{"names":{"k":"Zoë"}}'
    expect(await readBundleFile(file('deal.trust.json', new TextEncoder().encode(text)))).toEqual({ ok: true, value: { name: 'deal.trust.json', text } })
  })

  it('says so when the file cannot be read', async () => {
    const gone: FileLike = { name: 'gone.trust.json', size: 10, arrayBuffer: () => Promise.reject(new Error('NotReadableError')) }
    expect(await readBundleFile(gone)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
