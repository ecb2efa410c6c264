/**
 * Reads `seq` and `prev` out of stored receipt bytes without parsing the JSON,
 * for the fast path of chain verification (100k receipts well under a second).
 *
 * Sound because the bytes are JCS (RFC 8785 3.2.3 sorts keys), so every
 * canonical receipt ends with the fixed-format fields
 *   ,"negotiation":(null|"hex64"),"prev":"hex64","ref":(null|"hex64"),"seq":N,"sig":"hex128","time":"<24>"}
 * and nothing after `,"negotiation":` can contain that text again, so the last
 * occurrence is the real one. Bytes that are not canonical may read wrongly or
 * not at all; the verifier only relies on this for bytes whose hashes a signed
 * checkpoint then vouches for, and parses strictly everywhere else.
 */
export interface ReceiptLink {
  seq: number
  prev: string
}

const MARK = ',"negotiation":'
// The longest possible tail: 15 + 66 + 9 + 64 + 1 + 7 + 66 + 7 + 16 + 8 + 128 + 1 + 9 + 24 + 2 bytes.
const TAIL_BYTES = 440
const TAIL_RE =
  /,"negotiation":(?:null|"[0-9a-f]{64}"),"prev":"([0-9a-f]{64})","ref":(?:null|"[0-9a-f]{64}"),"seq":(0|[1-9][0-9]{0,15}),"sig":"[0-9a-f]{128}","time":"[^"\\]{24}"\}$/y

export function readLink(bytes: Buffer): ReceiptLink | null {
  // latin1 maps bytes 1:1, so non-ASCII bytes just fail to match.
  const tail = bytes.toString('latin1', Math.max(0, bytes.length - TAIL_BYTES), bytes.length)
  const at = tail.lastIndexOf(MARK)
  if (at < 0) return null
  TAIL_RE.lastIndex = at
  const m = TAIL_RE.exec(tail)
  if (m === null) return null
  const seq = Number(m[2])
  if (!Number.isSafeInteger(seq)) return null
  return { seq, prev: m[1]! }
}
