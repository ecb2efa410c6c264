/**
 * Time as a dependency. Jobs and timeouts read the clock through this interface so
 * tests drive them with ManualClock instead of waiting (house rule: no timed
 * assertions). The protocol fold never reads a clock at all (DESIGN section 1).
 */

/** Opaque handle returned by Clock.setTimeout; only the clock that made it can clear it. */
export interface TimerHandle {
  readonly timer: unknown
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
  setTimeout(fn: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/**
 * The real clock. Its timers are unref'd: background jobs must not keep a process
 * alive on their own (the window, the server or the CLI decides when to exit).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms)
    timer.unref()
    return { timer }
  },
  clearTimeout(handle) {
    clearTimeout(handle.timer as ReturnType<typeof setTimeout>)
  },
}

interface ManualTimer {
  readonly id: number
  readonly due: number
  readonly fn: () => void
}

/**
 * A clock that moves only when told. `await advance(ms)` fires every timer that
 * falls due, earliest first (ties in creation order), sets `now()` to each timer's
 * due time while it runs, and lets promise chains started by a timer settle before
 * firing the next one, so async job bodies that only await other promises finish.
 */
export class ManualClock implements Clock {
  private current: number
  private nextId = 1
  private timers: ManualTimer[] = []

  constructor(start = 0) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0
    const timer: ManualTimer = { id: this.nextId++, due: this.current + delay, fn }
    this.timers.push(timer)
    return { timer: timer.id }
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.timer)
  }

  /** Number of timers not yet fired or cleared. */
  pending(): number {
    return this.timers.length
  }

  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a finite ms >= 0, got ${ms}`)
    const target = this.current + ms
    await flushMicrotasks()
    for (;;) {
      const next = this.earliestDue(target)
      if (!next) break
      this.timers = this.timers.filter((t) => t !== next)
      this.current = next.due
      next.fn()
      await flushMicrotasks()
    }
    this.current = target
    await flushMicrotasks()
  }

  private earliestDue(limit: number): ManualTimer | undefined {
    let best: ManualTimer | undefined
    for (const t of this.timers) {
      if (t.due > limit) continue
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t
    }
    return best
  }
}

/**
 * Resolves after every microtask queued so far, and every microtask those queue,
 * has run: setImmediate callbacks run only once the microtask queue is empty.
 */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
