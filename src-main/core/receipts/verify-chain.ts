/**
 * Verification of the stored receipt log (DESIGN section 7): walks the hash
 * chain (seq continuity, stored bytes hash to the stored hash, prev links),
 * recomputes the RFC 6962 root at every checkpoint size incrementally and
 * checks one signature per checkpoint, and checks individual receipt
 * signatures only after the last checkpoint. Reports the FIRST bad index.
 *
 * Under a checkpoint the receipts are read by the fast path (receipt-link.ts)
 * and vouched for by the signed root. When anything fails, the receipts not yet
 * vouched for are re-checked strictly (a binary search over their signatures),
 * so the report names the receipt an attacker actually changed, not the next
 * one whose link it broke.
 */
import { isUtf8 } from 'node:buffer'
import { hash } from 'node:crypto'
import type { ReceiptStore } from '../store/receipts.js'
import { TrustError } from '../errors.js'
import { GENESIS_PREV, parseReceiptText, verifyReceiptSignature } from './receipt.js'
import { linkMatches, readLink } from './receipt-link.js'
import { parseCheckpoint, verifyCheckpoint } from './checkpoint.js'
import { CompactRange } from './compact-range.js'
import { equalBytes } from './merkle.js'

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

const PAGE = 1000

// No closures over the walk's variables: V8 keeps captured, mutated locals in a heap context,
// which costs the hot loop measurably (bench/receipts.bench.ts).
export function verifyChain(store: ReceiptStore, publicKey: string): ChainReport {
  const checkpoints = loadCheckpoints(store)
  const lastSize = checkpoints.length === 0 ? 0 : checkpoints[checkpoints.length - 1]!.size
  const range = new CompactRange()
  const unvouched: string[] = [] // text of receipts [vouched, index) read by the fast path
  let vouched = 0 // receipts [0, vouched) are covered by a verified checkpoint
  let next = 0 // the next checkpoint to check
  let due = checkpoints[0]?.size ?? -1 // its size
  let prev = GENESIS_PREV
  let index = 0

  // Paged by seq (keyset), the page size only trades memory for native calls.
  for (let after: number | bigint = -(2n ** 63n); ; ) {
    const page = store.textPage(after, PAGE)
    for (const [seq, storedHash, text] of page) {
      if (index === due) {
        const checked = checkCheckpointsAt(checkpoints, next, index, range, publicKey)
        if (typeof checked === 'string') return failure(store, publicKey, unvouched, vouched, index, vouched, checked, index)
        next = checked
        due = checkpoints[next]?.size ?? -1
        vouched = index
        unvouched.length = 0
      }
      if (seq !== index) {
        return failure(store, publicKey, unvouched, vouched, index, index, `receipt ${index} is missing (the next stored seq is ${seq})`)
      }
      // U+FFFD may stand for invalid bytes; only then is a look at the raw bytes needed.
      if (text.includes('\uFFFD') && !isUtf8(store.bytesAt(seq) ?? Buffer.alloc(0))) {
        return failure(store, publicKey, unvouched, vouched, index, index, `receipt ${index}: the stored bytes are not valid UTF-8`)
      }
      const hex = hash('sha256', text, 'hex') // the UTF-8 of the text: exactly the stored bytes
      if (hex !== storedHash) {
        return failure(store, publicKey, unvouched, vouched, index, index, `receipt ${index}: the stored bytes do not hash to the stored hash`)
      }
      if (index < lastSize) {
        if (!linkMatches(text, index, prev)) return failure(store, publicKey, unvouched, vouched, index, index, linkFault(text, index))
        unvouched.push(text)
      } else {
        const fault = receiptFault(text, index, prev, publicKey)
        if (fault !== null) return failure(store, publicKey, unvouched, vouched, index, index, fault)
      }
      range.pushHexLeaf(hex)
      prev = hex
      index++
    }
    if (page.length < PAGE) break
    after = page[page.length - 1]![0]
  }
  if (index === due) {
    const checked = checkCheckpointsAt(checkpoints, next, index, range, publicKey)
    if (typeof checked === 'string') return failure(store, publicKey, unvouched, vouched, index, vouched, checked, index)
    next = checked
  }
  if (next < checkpoints.length) {
    const size = checkpoints[next]!.size
    const reason = `the checkpoint at size ${size} covers receipts from ${index} on that are missing`
    return failure(store, publicKey, unvouched, vouched, index, index, reason, size)
  }
  return { ok: true, count: index }
}

/** Checks every checkpoint of this size from `next` on: the index past them, or the fault. */
function checkCheckpointsAt(
  checkpoints: readonly StoredCheckpoint[],
  next: number,
  size: number,
  range: CompactRange,
  publicKey: string,
): number | string {
  for (; next < checkpoints.length && checkpoints[next]!.size === size; next++) {
    const fault = checkpointFault(checkpoints[next]!, range, publicKey)
    if (fault !== null) return fault
  }
  return next
}

/**
 * The report for a fault found at `end`. First a strict re-check of the fast-path receipts
 * before it, to name the first one actually changed: they are all linked, so once one is
 * altered every later one is too (its prev no longer matches what was signed). Validity is
 * monotone, so a binary search finds the first bad one in O(log n) signature checks.
 * (Receipts after the last checkpoint were checked strictly as they were read.)
 */
function failure(
  store: ReceiptStore,
  publicKey: string,
  unvouched: readonly string[],
  vouched: number,
  end: number,
  firstBad: number,
  reason: string,
  checkpoint?: number,
): ChainReport {
  const faultAt = (k: number): string | null => receiptFault(unvouched[k - vouched]!, k, null, publicKey)
  let lo = vouched
  let hi = Math.min(end, vouched + unvouched.length)
  if (hi > lo && faultAt(hi - 1) !== null) {
    while (lo < hi - 1) {
      const mid = Math.floor((lo + hi - 1) / 2)
      if (faultAt(mid) === null) lo = mid + 1
      else hi = mid + 1
    }
    return { ok: false, count: store.count(), firstBad: lo, reason: faultAt(lo)! }
  }
  return { ok: false, count: store.count(), firstBad, reason, ...(checkpoint === undefined ? {} : { checkpoint }) }
}

function linkFault(text: string, index: number): string {
  const link = readLink(text)
  if (link === null) return `receipt ${index} is not a canonical receipt`
  if (link.seq !== index) return `receipt ${index} says it is seq ${link.seq}`
  return `receipt ${index}: prev does not match the hash of receipt ${index - 1}`
}

/** Strict check of one receipt: canonical, its seq, its link (when prev is given), its signature. */
function receiptFault(text: string, index: number, prev: string | null, publicKey: string): string | null {
  let receipt
  try {
    receipt = parseReceiptText(text)
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
