/**
 * Reads `seq` and `prev` out of stored receipt text without parsing the JSON,
 * for the fast path of chain verification (100k receipts well under a second).
 *
 * Sound because the text is JCS (RFC 8785 3.2.3 sorts keys), so every canonical
 * receipt ends with fixed-format fields, read here from the end:
 *   ,"prev":"<64 hex>","ref":(null|"<64 hex>"),"seq":N,"sig":"<128 hex>","time":"<24>"}
 * Text that is not canonical may read wrongly or not at all; the verifier relies
 * on this only for receipts whose hashes a signed checkpoint then vouches for,
 * and checks strictly everywhere else.
 */
export interface ReceiptLink {
  seq: number
  prev: string
}

const TIME_TAIL = ',"time":"'.length + 24 + '"}'.length
const SIG_TAIL = ',"sig":"'.length + 128 + '"'.length
const HASH_VALUE = 64 + 2 // a quoted hex hash

export function readLink(text: string): ReceiptLink | null {
  const seqEnd = text.length - TIME_TAIL - SIG_TAIL
  if (seqEnd < 0 || !text.startsWith(',"sig":"', seqEnd) || !text.startsWith(',"time":"', seqEnd + SIG_TAIL)) return null
  let seqStart = seqEnd
  while (seqStart > 0 && isDigit(text.charCodeAt(seqStart - 1))) seqStart--
  const digits = seqEnd - seqStart
  if (digits === 0 || digits > 16 || (digits > 1 && text.charCodeAt(seqStart) === 0x30)) return null
  let at = seqStart - ',"seq":'.length
  if (!text.startsWith(',"seq":', at)) return null
  at -= text.startsWith('null', at - 4) ? 4 : HASH_VALUE
  at -= ',"ref":'.length
  if (!text.startsWith(',"ref":', at)) return null
  at -= ',"prev":"'.length + HASH_VALUE - 1
  if (at < 0 || !text.startsWith(',"prev":"', at) || text.charCodeAt(at + 9 + 64) !== 0x22) return null
  return { seq: Number(text.slice(seqStart, seqEnd)), prev: text.slice(at + 9, at + 9 + 64) }
}

/**
 * The hot-path form of readLink: whether the text reads as seq `seq` with prev `prev`,
 * by comparing in place (no slices, no objects). Same layout, same soundness argument.
 */
export function linkMatches(text: string, seq: number, prev: string): boolean {
  const seqEnd = text.length - TIME_TAIL - SIG_TAIL
  const digits = String(seq)
  const seqStart = seqEnd - digits.length
  if (seqStart < 0 || !text.startsWith(',"sig":"', seqEnd) || !text.startsWith(',"time":"', seqEnd + SIG_TAIL)) return false
  let at = seqStart - ',"seq":'.length
  if (text.substring(seqStart, seqEnd) !== digits || !text.startsWith(',"seq":', at)) return false
  at -= text.startsWith('null', at - 4) ? 4 : HASH_VALUE
  at -= ',"ref":'.length
  if (!text.startsWith(',"ref":', at)) return false
  at -= ',"prev":"'.length + HASH_VALUE - 1
  // substring + === measured twice as fast as startsWith for the 64-char hash.
  return at >= 0 && text.startsWith(',"prev":"', at) && text.substring(at + 9, at + 9 + 64) === prev && text.charCodeAt(at + 9 + 64) === 0x22
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}
