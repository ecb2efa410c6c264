/**
 * Every signature Trust Primitive makes is over `domain + payload`, and the
 * domains are all here so no two kinds of signed object can be confused
 * (a receipt signature replayed as an envelope signature fails). The
 * prefixes differ before their first ':' so none is a prefix of another.
 * Checkpoints are the exception: C2SP signed notes sign the note text itself,
 * whose first line `trust-primitive/receipts/<key>` shares no prefix with these.
 */
export const DOMAIN_ENVELOPE = 'trust-primitive/v1:' // DESIGN section 3
export const DOMAIN_RECEIPT = 'trust-primitive/v1/receipt:' // DESIGN section 7
export const DOMAIN_CONTACT = 'trust-primitive/v1/contact:' // DESIGN section 2
export const DOMAIN_HANDSHAKE = 'trust-primitive/v1/handshake:' // DESIGN section 5
export const DOMAIN_TRUST_EVENT = 'trust-primitive/v1/trust-event:' // DESIGN section 8

export type SigningDomain =
  | typeof DOMAIN_ENVELOPE
  | typeof DOMAIN_RECEIPT
  | typeof DOMAIN_CONTACT
  | typeof DOMAIN_HANDSHAKE
  | typeof DOMAIN_TRUST_EVENT

/** Origin line of a receipt checkpoint (C2SP tlog-checkpoint), DESIGN section 7. */
export function checkpointOrigin(publicKeyHex: string): string {
  return `trust-primitive/receipts/${publicKeyHex}`
}
