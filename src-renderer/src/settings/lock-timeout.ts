/** The idle lock choices offered, and how a timeout reads. */
export const LOCK_CHOICES_MS = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 60 * 60_000, 4 * 60 * 60_000] as const

export function describeDuration(ms: number): string {
  if (ms <= 0) return 'never'
  if (ms % 3_600_000 === 0) {
    const h = ms / 3_600_000
    return h === 1 ? '1 hour' : `${h} hours`
  }
  if (ms % 60_000 === 0) {
    const m = ms / 60_000
    return m === 1 ? '1 minute' : `${m} minutes`
  }
  const s = Math.round(ms / 1000)
  return s === 1 ? '1 second' : `${s} seconds`
}
