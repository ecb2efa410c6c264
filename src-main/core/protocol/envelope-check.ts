/**
 * Ingest: parse once and verify once. Ed25519 verification with noble costs
 * about 1 ms, so the fold never verifies; it takes the verdict computed here.
 */
import type { FoldInput } from './envelope.js'
import { parseEnvelope, verifyEnvelopeSignature } from './envelope.js'

export type { FoldInput } from './envelope.js'

/** parseEnvelope + verifyEnvelopeSignature. Throws the TrustErrors of parseEnvelope. */
export function checkEnvelope(bytes: Uint8Array): FoldInput {
  const signed = parseEnvelope(bytes)
  return Object.freeze({ ...signed, sigValid: verifyEnvelopeSignature(signed) })
}
