/**
 * Latency as a person sees it (issue 11, item 5): from the moment one side's
 * engine was asked to act (the core's clock) to the frame that painted the
 * message on the other side's view (this page's clock). Both clocks count
 * milliseconds since the epoch from the same system clock
 * (performance.timeOrigin + performance.now()), so the difference is the whole
 * path: signing, storing, replication, the other engine's ingest, the event,
 * the socket and React. Measured once per message, after the frame that showed it.
 */
import { useLayoutEffect, useRef, useState } from 'react'
import type { DemoState } from '../../../src-main/api.js'

/** Milliseconds from the action to the paint, by message hash. */
export function usePaintLatency(demo: DemoState | undefined): ReadonlyMap<string, number> {
  const [measured, setMeasured] = useState<ReadonlyMap<string, number>>(new Map())
  const scheduled = useRef(new Set<string>())
  const session = useRef<number | null>(null)
  /** When this page began watching the session: earlier actions were not seen arriving, so they are not measured. */
  const watchingSince = useRef(0)

  useLayoutEffect(() => {
    if (demo === undefined) return
    if (session.current !== demo.session) {
      session.current = demo.session
      watchingSince.current = performance.timeOrigin + performance.now()
      scheduled.current.clear()
      setMeasured(new Map())
    }
    for (const step of demo.steps) {
      const l = step.latency
      if (l === null || scheduled.current.has(l.hash) || l.actedAt < watchingSince.current) continue
      const shown = demo.messages.find((m) => m.hash === l.hash)?.views.some((v) => v.side === l.to) ?? false
      if (!shown) continue
      scheduled.current.add(l.hash)
      const sessionNow = demo.session
      // The frame that paints this commit runs after the animation frame callback; a task queued there runs after the paint.
      requestAnimationFrame(() =>
        setTimeout(() => {
          const paintedAt = performance.timeOrigin + performance.now()
          if (session.current !== sessionNow) return
          setMeasured((m) => new Map(m).set(l.hash, Math.max(0, paintedAt - l.actedAt)))
        }, 0),
      )
    }
  }, [demo])

  return measured
}
