/** The receipt chain (DESIGN section 7): the receipts, their verification, the latest checkpoint. */
import type { Receipt, ReceiptsVerifyReport } from '../../../src-main/api.js'
import { coalesce } from './coalesce.js'
import { IDLE, loadingFrom, settled, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

/** The most receipts one screen loads at once. */
export const RECEIPTS_PAGE = 1000

export interface ReceiptsSlice {
  receipts: Remote<Receipt[]>
  receiptsCheck: Remote<ReceiptsVerifyReport>
  checkpoint: Remote<string>
  loadReceipts(): Promise<void>
  verifyReceipts(): Promise<void>
  loadCheckpoint(): Promise<void>
}

export const createReceiptsSlice: SliceCreator<ReceiptsSlice> = (set, get, client) => ({
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
  }),
})
