/**
 * The receipt chain (DESIGN section 7): the receipts, their verification, the latest checkpoint.
 *
 * The Receipts view shows a window of the chain, never all of it: a chain of
 * 100,000 receipts costs the page one window (`RECEIPT_WINDOW` receipts and the
 * checkpoints inside it) plus the summary. `receiptPosition` says where the
 * window is; `'latest'` follows the end of the chain as receipts arrive.
 */
import type { ApiResult, CheckpointInfo, Receipt, ReceiptProof, ReceiptsSummary, ReceiptsVerifyReport } from '../../../src-main/api.js'
import { coalesce } from './coalesce.js'
import { IDLE, loadingFrom, settled, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

/** The most receipts one screen loads at once. */
export const RECEIPTS_PAGE = 1000
/** Receipts the Receipts view draws at a time. */
export const RECEIPT_WINDOW = 48

export interface ReceiptWindow {
  summary: ReceiptsSummary
  /** Seq of the first receipt shown. */
  from: number
  receipts: Receipt[]
  /** Good checkpoints that end inside the window (size in from+1 .. from+receipts.length). */
  checkpoints: CheckpointInfo[]
}

export type ReceiptPosition = number | 'latest'

export interface ReceiptsSlice {
  receipts: Remote<Receipt[]>
  receiptsCheck: Remote<ReceiptsVerifyReport>
  checkpoint: Remote<string>
  loadReceipts(): Promise<void>
  verifyReceipts(): Promise<void>
  loadCheckpoint(): Promise<void>

  receiptPosition: ReceiptPosition
  receiptWindow: Remote<ReceiptWindow>
  /** Loads the window at the current position (the event feed calls it when receipts may have been added). */
  loadReceiptWindow(): Promise<void>
  /** Moves the window so it starts at `from` (clamped to the chain), or to the end of the chain. */
  showReceipts(position: ReceiptPosition): Promise<void>
  proveReceipt(seq: number): Promise<ApiResult<ReceiptProof>>
}

/** Where a window starting at `position` starts in a chain of `count` receipts. */
export function windowStart(position: ReceiptPosition, count: number, size = RECEIPT_WINDOW): number {
  const last = Math.max(0, count - size)
  if (position === 'latest') return last
  return Math.min(Math.max(0, Math.floor(position)), last)
}

export const createReceiptsSlice: SliceCreator<ReceiptsSlice> = (set, get, client) => {
  const loadReceiptWindow = coalesce(async () => {
    set({ receiptWindow: loadingFrom(get().receiptWindow) })
    const summary = await client.call('receipts.summary')
    if (!summary.ok) {
      set({ receiptWindow: settled(get().receiptWindow, summary) })
      return
    }
    const from = windowStart(get().receiptPosition, summary.value.count)
    if (summary.value.count === 0) {
      set({ receiptWindow: { state: 'ready', value: { summary: summary.value, from: 0, receipts: [], checkpoints: [] } } })
      return
    }
    const [receipts, checkpoints] = await Promise.all([
      client.call('receipts.list', { from, limit: RECEIPT_WINDOW }),
      client.call('receipts.checkpoints', { from: from + 1, limit: RECEIPT_WINDOW }),
    ])
    if (!receipts.ok || !checkpoints.ok) {
      set({ receiptWindow: settled(get().receiptWindow, receipts.ok ? (checkpoints as Extract<typeof checkpoints, { ok: false }>) : receipts) })
      return
    }
    const end = from + receipts.value.length
    set({
      receiptWindow: {
        state: 'ready',
        value: { summary: summary.value, from, receipts: receipts.value, checkpoints: checkpoints.value.filter((c) => c.size <= end) },
      },
    })
  })

  return {
    receipts: IDLE,
    receiptsCheck: IDLE,
    checkpoint: IDLE,
    loadReceipts: coalesce(async () => {
      set({ receipts: loadingFrom(get().receipts) })
      const result = await client.call('receipts.list', { limit: RECEIPTS_PAGE })
      set({ receipts: settled(get().receipts, result) })
    }),
    verifyReceipts: coalesce(async () => {
      set({ receiptsCheck: { state: 'loading' } })
      const result = await client.call('receipts.verify')
      set({ receiptsCheck: settled(get().receiptsCheck, result) })
    }),
    loadCheckpoint: coalesce(async () => {
      set({ checkpoint: loadingFrom(get().checkpoint) })
      const result = await client.call('receipts.checkpoint')
      set({ checkpoint: settled(get().checkpoint, result.ok ? { ok: true, value: result.value.note } : result) })
      // Asking for the checkpoint writes one when receipts were added since the last.
      if (result.ok && get().receiptWindow.state !== 'idle') void loadReceiptWindow()
    }),

    receiptPosition: 'latest',
    receiptWindow: IDLE,
    loadReceiptWindow,
    async showReceipts(position) {
      set({ receiptPosition: position })
      await loadReceiptWindow()
    },
    proveReceipt: (seq) => client.call('receipts.proof', { seq }),
  }
}
