import { Writable } from 'node:stream'
import { describe, it, expect } from 'vitest'
import { ManualClock, flushMicrotasks } from '../../src-main/core/jobs/clock.js'
import { JobScheduler, type JobEvent } from '../../src-main/core/jobs/scheduler.js'
import { createLogger } from '../../src-main/core/telemetry/logger.js'
import { TrustError } from '../../src-main/core/errors.js'

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void
  let reject!: (e: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

function setup(start = 1_000) {
  const clock = new ManualClock(start)
  const events: JobEvent[] = []
  const lines: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
      cb()
    },
  })
  const logger = createLogger({ destination: sink, level: 'debug' })
  const scheduler = new JobScheduler({ clock, logger, onEvent: (e) => events.push(e) })
  return { clock, events, lines, scheduler }
}

function statuses(events: JobEvent[], name: string): string[] {
  return events.filter((e) => e.name === name).map((e) => e.status)
}

describe('ManualClock', () => {
  it('fires due timers in time order, ties in creation order, and sets now() to each due time', async () => {
    const clock = new ManualClock(10)
    const fired: Array<[string, number]> = []
    clock.setTimeout(() => fired.push(['b', clock.now()]), 20)
    clock.setTimeout(() => fired.push(['a', clock.now()]), 5)
    clock.setTimeout(() => fired.push(['c', clock.now()]), 20)
    const late = clock.setTimeout(() => fired.push(['late', clock.now()]), 100)
    await clock.advance(50)
    expect(fired).toEqual([
      ['a', 15],
      ['b', 30],
      ['c', 30],
    ])
    expect(clock.now()).toBe(60)
    clock.clearTimeout(late)
    expect(clock.pending()).toBe(0)
    await expect(clock.advance(-1)).rejects.toThrow(RangeError)
  })

  it('fires timers scheduled by timers within the same advance', async () => {
    const clock = new ManualClock(0)
    const fired: number[] = []
    const again = (): void => {
      fired.push(clock.now())
      clock.setTimeout(again, 10)
    }
    clock.setTimeout(again, 10)
    await clock.advance(35)
    expect(fired).toEqual([10, 20, 30])
  })
})

describe('JobScheduler', () => {
  it('runs a job every interval after start(), passing the clock time', async () => {
    const { clock, scheduler, events } = setup(1_000)
    const seen: number[] = []
    scheduler.every('timeouts', 100, (now) => {
      seen.push(now)
    })
    await clock.advance(500)
    expect(seen).toEqual([]) // nothing before start()
    scheduler.start()
    await clock.advance(350)
    expect(seen).toEqual([1_600, 1_700, 1_800])
    expect(statuses(events, 'timeouts')).toEqual(['started', 'finished', 'started', 'finished', 'started', 'finished'])
    const finished = events.find((e) => e.status === 'finished')
    expect(finished).toMatchObject({ type: 'job', name: 'timeouts', at: 1_600, durationMs: 0 })
    await scheduler.stop()
  })

  it('keeps separate cadences for separate jobs with their own intervals', async () => {
    const { clock, scheduler } = setup(0)
    const runs: string[] = []
    scheduler.every('fast', 30, () => void runs.push(`fast@${clock.now()}`))
    scheduler.every('slow', 100, () => void runs.push(`slow@${clock.now()}`))
    scheduler.start()
    await clock.advance(100)
    expect(runs).toEqual(['fast@30', 'fast@60', 'fast@90', 'slow@100'])
    await scheduler.stop()
  })

  it('logs and reports a failing run, and the next run still happens', async () => {
    const { clock, scheduler, events, lines } = setup(0)
    let calls = 0
    scheduler.every('checkpoint', 50, async () => {
      calls++
      await Promise.resolve()
      if (calls === 1) throw new TrustError('DB_CORRUPT', 'disk said no')
    })
    scheduler.start()
    await clock.advance(100)
    expect(calls).toBe(2)
    const failed = events.filter((e) => e.status === 'failed')
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ type: 'job', name: 'checkpoint', at: 50, error: 'DB_CORRUPT: disk said no' })
    expect(statuses(events, 'checkpoint')).toEqual(['started', 'failed', 'started', 'finished'])
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'job run failed')
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatchObject({ job: 'checkpoint', level: 50 })
    await scheduler.stop()
  })

  it('survives bodies that throw synchronously or throw non-Errors', async () => {
    const { clock, scheduler, events } = setup(0)
    let syncCalls = 0
    scheduler.every('sync-throw', 10, () => {
      syncCalls++
      throw new Error('boom')
    })
    scheduler.every('string-throw', 10, () => Promise.reject('plain string'))
    scheduler.start()
    await clock.advance(30)
    expect(syncCalls).toBe(3)
    expect(events.filter((e) => e.name === 'sync-throw' && e.status === 'failed').map((e) => e.error)).toEqual([
      'boom',
      'boom',
      'boom',
    ])
    expect(events.filter((e) => e.name === 'string-throw' && e.status === 'failed')[0]?.error).toBe('plain string')
    expect(scheduler.isRunning('sync-throw')).toBe(false)
    await scheduler.stop()
  })

  it('never overlaps a job with itself: ticks during a run are skipped, and the cadence continues', async () => {
    const { clock, scheduler, events } = setup(0)
    const gates: Array<ReturnType<typeof deferred>> = []
    let active = 0
    let maxActive = 0
    scheduler.every('slow', 100, async () => {
      active++
      maxActive = Math.max(maxActive, active)
      const gate = deferred()
      gates.push(gate)
      await gate.promise
      active--
    })
    scheduler.start()
    await clock.advance(350) // run at 100 still going at 200 and 300
    expect(gates).toHaveLength(1)
    expect(scheduler.isRunning('slow')).toBe(true)
    expect(statuses(events, 'slow')).toEqual(['started', 'skipped', 'skipped'])
    gates[0]?.resolve()
    await flushMicrotasks()
    const finished = events.find((e) => e.status === 'finished')
    expect(finished).toMatchObject({ at: 350, durationMs: 250 }) // measured on the scheduler's clock
    await clock.advance(50) // tick at 400 runs again
    expect(gates).toHaveLength(2)
    gates[1]?.resolve()
    await flushMicrotasks()
    expect(maxActive).toBe(1)
    await scheduler.stop()
  })

  it('runNow works before start, and coalesces calls made during a run into exactly one more run', async () => {
    const { scheduler } = setup(0)
    const gates: Array<ReturnType<typeof deferred>> = []
    scheduler.every('sla', 1_000, async () => {
      const gate = deferred()
      gates.push(gate)
      await gate.promise
    })
    const first = scheduler.runNow('sla')
    await flushMicrotasks()
    expect(gates).toHaveLength(1)
    const second = scheduler.runNow('sla')
    const third = scheduler.runNow('sla')
    expect(third).toBe(second)
    await flushMicrotasks()
    expect(gates).toHaveLength(1) // the follow-up waits: no overlap
    gates[0]?.resolve()
    await expect(first).resolves.toMatchObject({ status: 'finished' })
    await flushMicrotasks()
    expect(gates).toHaveLength(2)
    gates[1]?.reject(new Error('second failed'))
    await expect(second).resolves.toMatchObject({ status: 'failed', error: 'second failed' })
    expect(gates).toHaveLength(2)
    await scheduler.stop()
  })

  it('refuses unknown jobs, bad intervals and duplicate names, leaving registered jobs intact', async () => {
    const { clock, scheduler } = setup(0)
    let runs = 0
    scheduler.every('a', 10, () => void runs++)
    for (const bad of [0, -5, 1.5, Number.NaN, Infinity, 2 ** 31]) {
      expect(() => scheduler.every(`bad-${bad}`, bad, () => {})).toThrow(/INVALID_INPUT/)
    }
    expect(() => scheduler.every('', 10, () => {})).toThrow(/INVALID_INPUT/)
    expect(() => scheduler.every('a', 20, () => {})).toThrow(/INVALID_INPUT: job a is already registered/)
    expect(scheduler.names()).toEqual(['a'])
    const err = await scheduler.runNow('nope').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TrustError)
    expect((err as TrustError).code).toBe('NOT_FOUND')
    scheduler.start()
    await clock.advance(10)
    expect(runs).toBe(1) // the original body and interval are still in force
    await scheduler.stop()
  })

  it('a throwing event listener breaks nothing', async () => {
    const clock = new ManualClock(0)
    let runs = 0
    const scheduler = new JobScheduler({
      clock,
      onEvent: () => {
        throw new Error('listener bug')
      },
    })
    scheduler.every('a', 10, () => void runs++)
    scheduler.start()
    await clock.advance(30)
    expect(runs).toBe(3)
    await scheduler.stop()
  })

  it('a job registered after start ticks one interval later', async () => {
    const { clock, scheduler } = setup(0)
    scheduler.start()
    await clock.advance(15)
    const seen: number[] = []
    scheduler.every('late', 10, (now) => void seen.push(now))
    await clock.advance(20)
    expect(seen).toEqual([25, 35])
    await scheduler.stop()
  })

  it('stop() waits for running jobs, cancels future ticks, and is final', async () => {
    const { clock, scheduler } = setup(0)
    const gate = deferred()
    let runs = 0
    scheduler.every('long', 10, async () => {
      runs++
      await gate.promise
    })
    scheduler.start()
    await clock.advance(10)
    let stopped = false
    const stopping = scheduler.stop().then(() => {
      stopped = true
    })
    await flushMicrotasks()
    expect(stopped).toBe(false) // still waiting for the run
    gate.resolve()
    await stopping
    expect(stopped).toBe(true)
    expect(clock.pending()).toBe(0)
    await clock.advance(100)
    expect(runs).toBe(1)
    expect(() => scheduler.start()).toThrow(/CLOSED/)
    await expect(scheduler.runNow('long')).rejects.toThrow(/CLOSED/)
    expect(() => scheduler.every('more', 10, () => {})).toThrow(/CLOSED/)
  })
})
