/**
 * Verification of the stored receipt log (DESIGN section 7): walks the hash
 * chain (seq continuity, stored bytes hash to the stored hash, prev links),
 * recomputes the RFC 6962 root at every checkpoint size incrementally and
 * checks one signature per checkpoint, and checks individual receipt
 * signatures only after the last checkpoint. Reports the FIRST bad index.
 *
 * Under a checkpoint the receipts are read by the fast path (receipt-link.ts)
 * and vouched for by the signed root. When anything fails, the receipts not yet
 * vouched for are re-checked strictly, one by one, so the report names the
 * receipt an attacker actually changed, not the next one whose link it broke.
 */
import { hash } from 'node:crypto'
import type { ReceiptStore } from '../store/receipts.js'
import { TrustError } from '../errors.js'
import { GENESIS_PREV, parseReceiptBytes, verifyReceiptSignature } from './receipt.js'
import { readLink } from './receipt-link.js'
import { parseCheckpoint, verifyCheckpoint } from './checkpoint.js'
import { CompactRange } from './compact-range.js'
import { equalBytes, hashLeaf } from './merkle.js'

export interface ChainReport {
  ok: boolean
  /** Receipts in the store. */
  count: number
  /**
   * Receipts [0, firstBad) verified. A bad receipt is reported at its own seq; a bad
   * checkpoint at the first receipt it newly covers (or, if it covers receipts that
   * are missing, at the first missing one), unless one of those receipts is itself bad.
   */
  firstBad?: number
  reason?: string
  /** Size of the checkpoint at fault, when one is. */
  checkpoint?: number
}

interface StoredCheckpoint {
  size: number
  note: string
  root: Uint8Array | null
}

export function verifyChain(store: ReceiptStore, publicKey: string): ChainReport {
  const count = store.count()
  const checkpoints = loadCheckpoints(store)
  const lastSize = checkpoints.length === 0 ? 0 : checkpoints[checkpoints.length - 1]!.size
  const range = new CompactRange()
  let prev = GENESIS_PREV
  let index = 0
  let next = 0
  let vouched = 0 // receipts [0, vouched) are covered by a verified checkpoint
  const unvouched: Buffer[] = [] // bytes of receipts [vouched, index) read by the fast path

  // Strict re-check of the fast-path receipts before `end`, to name the first one actually
  // changed. They are all linked, so once one is altered every later one is too (its prev no
  // longer matches what was signed): validity is monotone and a binary search finds the first
  // bad one in O(log n) signature checks. (Receipts after the last checkpoint were checked
  // strictly as they were read.)
  const fail = (end: number, firstBad: number, reason: string, checkpoint?: number): ChainReport => {
    const faultAt = (k: number): string | null => receiptFault(unvouched[k - vouched]!, k, null, publicKey)
    let lo = vouched
    let hi = Math.min(end, vouched + unvouched.length)
    if (hi > lo && faultAt(hi - 1) !== null) {
      while (lo < hi - 1) {
        const mid = Math.floor((lo + hi - 1) / 2)
        if (faultAt(mid) === null) lo = mid + 1
        else hi = mid + 1
      }
      return { ok: false, count, firstBad: lo, reason: faultAt(lo)! }
    }
    return { ok: false, count, firstBad, reason, ...(checkpoint === undefined ? {} : { checkpoint }) }
  }

  const checkpointsDueAt = (size: number): ChainReport | null => {
    for (; next < checkpoints.length && checkpoints[next]!.size === size; next++) {
      const fault = checkpointFault(checkpoints[next]!, range, publicKey)
      if (fault !== null) return fail(size, vouched, fault, size)
      vouched = size
      unvouched.length = 0
    }
    return null
  }

  for (const [seq, storedHash, bytes] of store.scan()) {
    const due = checkpointsDueAt(index)
    if (due) return due
    if (seq !== index) return fail(index, index, `receipt ${index} is missing (the next stored seq is ${seq})`)
    const digest = hash('sha256', bytes, 'buffer')
    const hex = digest.toString('hex')
    if (hex !== storedHash) return fail(index, index, `receipt ${index}: the stored bytes do not hash to the stored hash`)
    if (index < lastSize) {
      const link = readLink(bytes)
      if (link === null) return fail(index, index, `receipt ${index} is not a canonical receipt`)
      if (link.seq !== index) return fail(index, index, `receipt ${index} says it is seq ${link.seq}`)
      if (link.prev !== prev) return fail(index, index, `receipt ${index}: prev does not match the hash of receipt ${index - 1}`)
      unvouched.push(bytes)
    } else {
      const fault = receiptFault(bytes, index, prev, publicKey)
      if (fault !== null) return fail(index, index, fault)
    }
    range.push(hashLeaf(digest))
    prev = hex
    index++
  }
  const due = checkpointsDueAt(index)
  if (due) return due
  if (next < checkpoints.length) {
    const size = checkpoints[next]!.size
    return fail(index, index, `the checkpoint at size ${size} covers receipts from ${index} on that are missing`, size)
  }
  return { ok: true, count }
}

/** Strict check of one receipt: canonical, its seq, its link (when prev is given), its signature. */
function receiptFault(bytes: Buffer, index: number, prev: string | null, publicKey: string): string | null {
  let receipt
  try {
    receipt = parseReceiptBytes(bytes)
  } catch (err) {
    return `receipt ${index} is not a valid receipt: ${TrustError.from(err).message}`
  }
  if (receipt.seq !== index) return `receipt ${index} says it is seq ${receipt.seq}`
  if (prev !== null && receipt.prev !== prev) return `receipt ${index}: prev does not match the hash of receipt ${index - 1}`
  if (!verifyReceiptSignature(receipt, publicKey)) return `receipt ${index}: the signature is invalid`
  return null
}

function checkpointFault(cp: StoredCheckpoint, range: CompactRange, publicKey: string): string | null {
  if (cp.root === null) return `the checkpoint recorded at size ${cp.size} is not a valid note`
  if (!equalBytes(cp.root, range.root())) return `the checkpoint at size ${cp.size} does not match the root of the receipts`
  try {
    verifyCheckpoint(cp.note, publicKey)
  } catch (err) {
    return `the checkpoint at size ${cp.size} does not verify: ${TrustError.from(err).message}`
  }
  return null
}

/** Good checkpoints by the size their note states (the size column is only an index). */
function loadCheckpoints(store: ReceiptStore): StoredCheckpoint[] {
  return store
    .goodCheckpoints()
    .map((row) => {
      try {
        const cp = parseCheckpoint(row.note)
        return { size: cp.size, note: row.note, root: cp.root }
      } catch {
        return { size: row.size, note: row.note, root: null }
      }
    })
    .sort((a, b) => a.size - b.size)
}
