/**
 * Writing an agreement bundle (DESIGN section 10) from what the local peer holds:
 * every envelope of the negotiation, the names it knows, and its folded state as
 * the claim. Envelopes are sorted by (lamport, hash), the fold's causal order
 * (DESIGN section 3), so the file reads top to bottom; verification ignores order.
 */
import { TrustError } from '../errors.js'
import { isHex } from '../crypto/hex.js'
import type { JsonValue } from '../protocol/jcs.js'
import { parseEnvelope, type NegotiationStatus, type SignedEnvelope } from '../protocol/index.js'
import { BUNDLE_FORMAT, MAX_BUNDLE_ENVELOPES, isStatus, type Bundle } from './bundle.js'

export interface ExportBundleInput {
  negotiation: string
  /** Every envelope of the negotiation, GENESIS included: parsed, or raw JCS bytes. */
  envelopes: readonly (SignedEnvelope | Uint8Array)[]
  /** Display names by public key (unsigned labels). */
  names?: Readonly<Record<string, string>>
  /** The exporter's folded state (a NegotiationState will do): becomes `claimed`. */
  state: { status?: NegotiationStatus; termsHash: string; bindingHash?: string | null }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

export function exportBundle(input: ExportBundleInput): Bundle {
  const { negotiation, state } = input
  if (!isHex(negotiation, 32)) throw TrustError.invalidInput('negotiation must be 64 lowercase hex characters')
  // An invalid negotiation (no status, DESIGN section 4) has no agreement to export.
  if (state.status === undefined) throw new TrustError('INVALID_NEGOTIATION', 'cannot export an invalid negotiation')
  if (!isStatus(state.status)) throw TrustError.invalidInput(`unknown negotiation status ${String(state.status)}`)
  if (!isHex(state.termsHash, 32)) throw TrustError.invalidInput('state.termsHash must be 64 lowercase hex characters')
  const bindingHash = state.bindingHash ?? null
  if (bindingHash !== null && !isHex(bindingHash, 32)) {
    throw TrustError.invalidInput('state.bindingHash must be 64 lowercase hex characters or null')
  }

  const byHash = new Map<string, SignedEnvelope>()
  for (const item of input.envelopes) {
    const signed = item instanceof Uint8Array ? parseEnvelope(item) : item
    byHash.set(signed.hash, signed)
  }
  if (byHash.size > MAX_BUNDLE_ENVELOPES) {
    throw TrustError.tooLarge('the negotiation (in envelopes)', byHash.size, MAX_BUNDLE_ENVELOPES)
  }
  const genesis = byHash.get(negotiation)
  if (genesis === undefined || genesis.envelope.type !== 'GENESIS') {
    throw new TrustError('INVALID_NEGOTIATION', 'cannot export: the GENESIS envelope of this negotiation is not among the envelopes')
  }
  const ordered = [...byHash.values()].sort(
    (a, b) => a.envelope.lamport - b.envelope.lamport || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0),
  )

  const names: Record<string, string> = {}
  for (const [key, name] of Object.entries(input.names ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (isHex(key, 32) && typeof name === 'string') names[key] = name
  }

  return {
    format: BUNDLE_FORMAT,
    negotiation,
    // The signed bytes themselves, decoded: exactly what was signed, nothing added.
    envelopes: ordered.map((s) => JSON.parse(utf8.decode(s.bytes)) as JsonValue),
    names,
    claimed: { status: state.status, termsHash: state.termsHash, bindingHash },
  }
}

/** The `*.trust.json` file text: indented for people; verification re-canonicalizes. */
export function serializeBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`
}
