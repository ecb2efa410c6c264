/**
 * Reconnection delays: exponential from `baseMs`, capped at `maxMs`, with up to
 * 20% random jitter so many pages do not hammer a restarted peer in step.
 */
export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 10_000 }

/** Delay before attempt number `attempt` (1 for the first retry). `random` is in [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: number = Math.random()): number {
  const n = Math.max(1, Math.floor(attempt))
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(n - 1, 30))
  return Math.round(raw * (1 - 0.2 * random))
}
