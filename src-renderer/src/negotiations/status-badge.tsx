/** A negotiation's status as a badge: words first, colour only as a second signal. */
import type { NegotiationStatus } from '../../../src-main/api.js'
import { STATUS_TEXT } from './negotiation-text.js'

export function StatusBadge({ status }: { status: NegotiationStatus }) {
  const text = STATUS_TEXT[status]
  return (
    <span className={`badge badge--${text.tone}`} data-status={status}>
      {text.label}
    </span>
  )
}
