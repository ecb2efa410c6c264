/**
 * Asks the core once more when a time passes (a deadline, an appeal's due
 * time), because the core evaluates EXPIRED and LAPSED at read time and no
 * event announces a deadline passing before its job runs. One timer for the
 * earliest time; not polling.
 */
import { useEffect } from 'react'

const MAX_TIMER_MS = 2 ** 31 - 1

export function useReloadAt(times: readonly number[], reload: () => void): void {
  const now = Date.now()
  const next = times.filter((t) => t > now).reduce((a, b) => Math.min(a, b), Infinity)
  useEffect(() => {
    if (!Number.isFinite(next)) return
    const timer = setTimeout(reload, Math.min(MAX_TIMER_MS, next - Date.now() + 250))
    return () => clearTimeout(timer)
  }, [next, reload])
}
