/** Words for the codes a verification report carries (DESIGN sections 4 and 10). */
import type { ApiError, NegotiationStatus } from '../../../src-main/api.js'
import { detailOf, type ErrorText } from '../components/error-text.js'

export const STATUS_TEXT: Record<NegotiationStatus, string> = {
  INITIATED: 'started, not everyone has joined',
  NEGOTIATING: 'still being negotiated',
  CONSENSUS_REACHED: 'enough parties accepted, not yet final',
  BINDING: 'binding',
  DISPUTED: 'binding, and disputed',
  RESOLVED: 'binding, and its dispute resolved',
  EXPIRED: 'expired before it became binding',
  WITHDRAWN: 'withdrawn',
}

/** What each rejection reason of the fold means, in a sentence (src-main/core/protocol/fold/reasons.ts). */
export const REJECT_REASON_TEXT: Partial<Record<string, string>> = {
  NO_VALID_GENESIS: 'The negotiation it belongs to has no valid start.',
  BAD_GENESIS: 'This start of a negotiation breaks the rules.',
  BAD_SIGNATURE: 'Its signature does not verify.',
  WRONG_NEGOTIATION: 'It belongs to another negotiation.',
  NOT_PARTICIPANT: 'Its author is not a party to this negotiation.',
  EQUIVOCATION: 'Its author had already signed a different message in its place.',
  MISSING_REF: 'It builds on a message that is not here.',
  BAD_LAMPORT: 'Its place in the order of messages is wrong.',
  BAD_SEQ: 'It is out of order among its author’s messages.',
  AUTHOR_WITHDRAWN: 'Its author had withdrawn.',
  IMMUTABLE: 'It tried to change the terms after they became binding.',
  FINAL: 'The negotiation was already over.',
  LATE: 'It came after the deadline.',
  WRONG_STATE: 'It was not allowed at that stage.',
  DUPLICATE_ACTION: 'Its author had already done exactly this.',
  SUPERSEDED: 'It answered terms that had already changed.',
  UNKNOWN_CLAUSE: 'It names a clause that does not exist.',
  CLAUSE_EXISTS: 'It adds a clause that already exists.',
  CLAUSE_LOCKED: 'It changes a locked clause.',
  TERMS_LIMIT: 'It would leave no clause, or too many.',
  NO_CHANGE: 'It changes nothing.',
  STALE_TERMS: 'It agrees to terms that had already changed.',
  NOT_SIGNER: 'Its author did not sign the agreement.',
  WRONG_DISPUTE: 'It answers another dispute than the open one.',
}

/** A file that could not be checked at all (too large, not text, unreadable, or the call failed). */
export function describeFileError(error: ApiError): ErrorText {
  const detail = detailOf(error)
  const title = detail.charAt(0).toUpperCase() + detail.slice(1) + (/[.!?]$/.test(detail) ? '' : '.')
  switch (error.code) {
    case 'TOO_LARGE':
    case 'INVALID_ENCODING':
    case 'INVALID_INPUT':
    case 'NOT_FOUND':
      return { title, hint: 'Choose the .trust.json file exported from a negotiation in Trust Primitive.' }
    case 'NETWORK':
      return { title, hint: 'Nothing was checked. Try again once your Trust peer is reachable.' }
    default:
      return { title, hint: 'Nothing was checked. Try again; if it keeps happening, the log in your profile folder says why.' }
  }
}
