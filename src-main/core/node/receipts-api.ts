/**
 * `receipts.*` of the TrustApi (DESIGN sections 7 and 11) over the ReceiptChain.
 * Reading and verifying work while locked; writing a checkpoint needs the key, so
 * while locked `checkpoint` returns the latest stored note (NOT_FOUND if none).
 */
import type { Receipt as ApiReceipt, TrustApi } from '../../api.js'
import { TrustError } from '../errors.js'
import type { Signer } from '../crypto/signer.js'
import type { ReceiptChain, StoredReceipt } from '../receipts/index.js'
import { int, optInt, paramsOf } from './params.js'

type ReceiptMethods = Pick<
  TrustApi,
  'receipts.list' | 'receipts.verify' | 'receipts.checkpoint' | 'receipts.proof' | 'receipts.summary' | 'receipts.checkpoints'
>

export interface ReceiptsApiContext {
  /** NO_IDENTITY when the profile has none yet. */
  receipts(): ReceiptChain
  /** The unlocked signer, or null while locked. */
  signerOrNull(): Signer | null
}

export function receiptJson({ receipt, hash }: StoredReceipt): ApiReceipt {
  return {
    seq: receipt.seq,
    prev: receipt.prev,
    time: receipt.time,
    action: receipt.action,
    negotiation: receipt.negotiation,
    ref: receipt.ref,
    data: receipt.data,
    hash,
    sig: receipt.sig,
  }
}

export function receiptsApi(ctx: ReceiptsApiContext): ReceiptMethods {
  return {
    'receipts.list': async (params) => {
      const p = paramsOf('receipts.list', params, ['from', 'limit'])
      const from = optInt('receipts.list', p, 'from', 0, Number.MAX_SAFE_INTEGER)
      const limit = optInt('receipts.list', p, 'limit', 1, 1000)
      return ctx.receipts().list({ ...(from === undefined ? {} : { from }), ...(limit === undefined ? {} : { limit }) }).map(receiptJson)
    },
    'receipts.verify': async (params) => {
      paramsOf('receipts.verify', params, [])
      const started = performance.now()
      const report = ctx.receipts().verifyChain()
      const ms = Math.round(performance.now() - started)
      return { ok: report.ok, count: report.count, ms, ...(report.firstBad === undefined ? {} : { firstBad: report.firstBad }) }
    },
    'receipts.checkpoint': async (params) => {
      paramsOf('receipts.checkpoint', params, [])
      const chain = ctx.receipts()
      const signer = ctx.signerOrNull()
      if (signer !== null && chain.size() > 0) return { note: chain.checkpoint(signer) }
      const note = chain.latestCheckpoint()
      if (note === null) throw TrustError.notFound(signer === null ? 'a checkpoint (unlock to write one)' : 'a checkpoint (there are no receipts yet)')
      return { note }
    },
    'receipts.summary': async (params) => {
      paramsOf('receipts.summary', params, [])
      const s = ctx.receipts().summary()
      return {
        count: s.count,
        checkpoints: s.checkpoints,
        latestCheckpoint: s.latestCheckpoint === null ? null : { size: s.latestCheckpoint.size, recorded: s.latestCheckpoint.recordedAt },
        refusedCheckpoints: s.refusedCheckpoints,
      }
    },
    'receipts.checkpoints': async (params) => {
      const p = paramsOf('receipts.checkpoints', params, ['from', 'limit'])
      const from = optInt('receipts.checkpoints', p, 'from', 0, Number.MAX_SAFE_INTEGER)
      const limit = optInt('receipts.checkpoints', p, 'limit', 1, 1000)
      return ctx
        .receipts()
        .checkpointList({ ...(from === undefined ? {} : { from }), ...(limit === undefined ? {} : { limit }) })
        .map((c) => ({ size: c.size, recorded: c.recordedAt }))
    },
    'receipts.proof': async (params) => {
      const p = paramsOf('receipts.proof', params, ['seq'])
      const seq = int('receipts.proof', p, 'seq', 0, Number.MAX_SAFE_INTEGER)
      const chain = ctx.receipts()
      const signer = ctx.signerOrNull()
      const proof = chain.proof(seq, signer ?? undefined)
      const [stored] = chain.list({ from: seq, limit: 1 })
      if (stored === undefined) throw TrustError.notFound(`receipt ${seq}`)
      return { receipt: receiptJson(stored), index: proof.seq, treeSize: proof.treeSize, path: proof.proof, checkpoint: proof.checkpoint }
    },
  }
}
