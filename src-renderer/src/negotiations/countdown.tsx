/** A live "3 days left" for a time; only this text re-renders as the clock moves. */
import { describeCountdown } from './negotiation-text.js'
import { useNow } from './use-now.js'

export function Countdown({ until, testId }: { until: number; testId?: string }) {
  const now = useNow(1000)
  return (
    <strong className="countdown" data-testid={testId}>
      ({describeCountdown(until, now)})
    </strong>
  )
}
