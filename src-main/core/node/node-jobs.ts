/**
 * The node's periodic jobs (DESIGN section 9): the timeout checker every 5 minutes
 * (EXPIRED, receipts, TIMEOUT trust events), the checkpoint job every 30 minutes
 * (the chain writes its own every 1,000 receipts), and the appeal SLA checker
 * (LAPSED). Each needs the key to sign receipts: while the identity is locked a
 * run does nothing and says so; the fold still shows EXPIRED at read time, and
 * the first run after unlocking writes what was missed.
 */
import type { TrustEvent } from '../../api.js'
import { JobScheduler, type JobEvent } from '../jobs/scheduler.js'
import type { Clock } from '../jobs/clock.js'
import type { Logger } from '../telemetry/logger.js'

export type JobName = 'timeout' | 'checkpoint' | 'appeal'

export interface JobIntervals {
  timeout: number
  checkpoint: number
  appeal: number
}

export const DEFAULT_JOB_INTERVALS: JobIntervals = {
  timeout: 5 * 60_000,
  checkpoint: 30 * 60_000,
  // DESIGN leaves the appeal checker's cadence open: appeals are due in days, so the timeout cadence is plenty.
  appeal: 5 * 60_000,
}

/** What each job does; 'locked' when it could not sign, else a short summary for the log and the event. */
export type JobBodies = Record<JobName, (now: number) => Promise<string> | string>

export function startNodeJobs(options: {
  clock: Clock
  logger: Logger
  intervals?: Partial<JobIntervals>
  bodies: JobBodies
  emit: (event: TrustEvent) => void
}): JobScheduler {
  const intervals = { ...DEFAULT_JOB_INTERVALS, ...options.intervals }
  const summaries = new Map<JobName, string>()
  const scheduler = new JobScheduler({
    clock: options.clock,
    logger: options.logger,
    onEvent: (event: JobEvent) => {
      const job = event.name as JobName
      if (event.status === 'finished') {
        const detail = summaries.get(job) ?? ''
        options.logger.info({ job, durationMs: event.durationMs, detail }, 'job finished')
        options.emit({ type: 'job', job, ok: true, ...(detail ? { detail } : {}) })
      } else if (event.status === 'failed') {
        options.logger.warn({ job, error: event.error }, 'job failed; the next run is still scheduled')
        options.emit({ type: 'job', job, ok: false, detail: event.error ?? 'failed' })
      } else if (event.status === 'skipped') {
        options.logger.info({ job }, 'job tick skipped: the previous run is still going')
      }
    },
  })
  for (const job of ['timeout', 'checkpoint', 'appeal'] as const) {
    scheduler.every(job, intervals[job], async (now) => {
      summaries.delete(job)
      summaries.set(job, await options.bodies[job](now))
    })
  }
  scheduler.start()
  return scheduler
}
