/**
 * Text from a bundle (titles, clause text, names) is hostile input that ends up
 * on a terminal and in HTML. This removes what can make a reader see something
 * other than what is signed: terminal control sequences (C0/C1, ESC), and the
 * Unicode bidirectional controls of "Trojan Source" (CVE-2021-42574, Unicode
 * TR#9 explicit formatting characters). HTML escaping is separate (certificate.ts).
 */

// C0 controls except TAB and LF, DEL, C1 controls.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
// Bidi embeddings, overrides, isolates and marks (TR#9 section 2), plus BOM.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g

export interface DisplayTextOptions {
  /** Keep line feeds (clause text); otherwise every line break becomes a space. */
  multiline?: boolean
  /** Truncate to this many code points, with an ellipsis. */
  maxLength?: number
}

export function displayText(value: string, options: DisplayTextOptions = {}): string {
  let text = value.replace(LINE_BREAKS, '\n').replace(BIDI, '\ufffd').replace(CONTROL, '\ufffd')
  text = text.replace(/\t/g, '    ')
  if (!options.multiline) text = text.replace(/\n/g, ' ')
  if (options.maxLength !== undefined) {
    const points = Array.from(text)
    if (points.length > options.maxLength) text = points.slice(0, options.maxLength - 1).join('') + '\u2026'
  }
  return text
}

/** Names are unsigned labels (DESIGN section 10): one short line. */
export const MAX_NAME_LENGTH = 64

export function displayName(value: string): string {
  return displayText(value, { maxLength: MAX_NAME_LENGTH }).trim()
}
