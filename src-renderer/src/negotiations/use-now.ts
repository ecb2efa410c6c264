/**
 * The wall clock for countdowns, re-read every `everyMs`. Display only: it never
 * calls the core (screens do not poll); when a deadline passes, the screen asks
 * once for the state the core computes at that time.
 */
import { useEffect, useState } from 'react'

export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return now
}
