/**
 * Periodic jobs of the main process (DESIGN section 9: timeout checker, checkpoint
 * job, appeal SLA checker). Jobs never overlap with themselves and survive a
 * failing run.
 *
 * Overlap policy: each job ticks every `intervalMs` from `start()` (a steady
 * cadence, not "interval after the previous run ended"). A tick that arrives while
 * the previous run is still going is skipped and reported as `status: 'skipped'`;
 * the next tick is still scheduled. `runNow()` during a run is coalesced: it waits
 * for the current run and then runs exactly once more, however many callers asked.
 */
import { TrustError } from '../errors.js'
import type { Clock, TimerHandle } from './clock.js'
import type { Logger } from '../telemetry/logger.js'

export type JobStatus = 'started' | 'finished' | 'failed' | 'skipped'

export interface JobEvent {
  type: 'job'
  name: string
  status: JobStatus
  /** Clock time of the event (ms). */
  at: number
  /** For finished and failed runs, measured with the scheduler's clock. */
  durationMs?: number
  /** For failed runs: the error message (never a stack). */
  error?: string
  [key: string]: unknown
}

export interface JobOutcome {
  status: 'finished' | 'failed'
  durationMs: number
  error?: string
}

export type JobBody = (now: number) => Promise<void> | void

export interface JobSchedulerOptions {
  clock: Clock
  logger?: Pick<Logger, 'error' | 'debug'>
  onEvent?: (event: JobEvent) => void
}

interface Job {
  readonly name: string
  readonly intervalMs: number
  readonly run: JobBody
  timer: TimerHandle | undefined
  running: Promise<JobOutcome> | undefined
  /** A coalesced runNow() waiting for the current run to end. */
  followUp: Promise<JobOutcome> | undefined
}

const MAX_INTERVAL_MS = 2 ** 31 - 1 // setTimeout's limit; larger delays fire at once

export class JobScheduler {
  private readonly clock: Clock
  private readonly logger: Pick<Logger, 'error' | 'debug'> | undefined
  private readonly onEvent: ((event: JobEvent) => void) | undefined
  private readonly jobs = new Map<string, Job>()
  private state: 'idle' | 'started' | 'stopped' = 'idle'

  constructor(options: JobSchedulerOptions) {
    this.clock = options.clock
    this.logger = options.logger
    this.onEvent = options.onEvent
  }

  /** Registers a job. If the scheduler is already started, its first tick is one interval from now. */
  every(name: string, intervalMs: number, run: JobBody): void {
    if (typeof name !== 'string' || name.length === 0 || name.length > 100) {
      throw TrustError.invalidInput('a job name must be a non-empty string of at most 100 characters')
    }
    if (!Number.isSafeInteger(intervalMs) || intervalMs < 1 || intervalMs > MAX_INTERVAL_MS) {
      throw TrustError.invalidInput(`job ${name}: intervalMs must be an integer from 1 to ${MAX_INTERVAL_MS}`)
    }
    if (typeof run !== 'function') throw TrustError.invalidInput(`job ${name}: run must be a function`)
    if (this.jobs.has(name)) throw TrustError.invalidInput(`job ${name} is already registered`)
    if (this.state === 'stopped') throw new TrustError('CLOSED', 'the job scheduler is stopped')
    const job: Job = { name, intervalMs, run, timer: undefined, running: undefined, followUp: undefined }
    this.jobs.set(name, job)
    if (this.state === 'started') this.schedule(job)
  }

  names(): string[] {
    return [...this.jobs.keys()]
  }

  isRunning(name: string): boolean {
    return this.jobs.get(name)?.running !== undefined
  }

  start(): void {
    if (this.state === 'stopped') throw new TrustError('CLOSED', 'the job scheduler is stopped')
    if (this.state === 'started') return
    this.state = 'started'
    for (const job of this.jobs.values()) this.schedule(job)
  }

  /** Runs a job now (allowed before start()); resolves with how the run went, never rejects for a failing body. */
  runNow(name: string): Promise<JobOutcome> {
    const job = this.jobs.get(name)
    if (!job) return Promise.reject(TrustError.notFound(`job ${JSON.stringify(name)}`))
    if (this.state === 'stopped') return Promise.reject(new TrustError('CLOSED', 'the job scheduler is stopped'))
    if (!job.running) return this.execute(job)
    if (!job.followUp) {
      const current = job.running
      job.followUp = current.then(() => {
        job.followUp = undefined
        return this.execute(job)
      })
    }
    return job.followUp
  }

  /** Cancels future ticks and waits for runs in progress (and coalesced follow-ups) to end. Final. */
  async stop(): Promise<void> {
    this.state = 'stopped'
    for (const job of this.jobs.values()) {
      if (job.timer !== undefined) this.clock.clearTimeout(job.timer)
      job.timer = undefined
    }
    const inFlight: Promise<unknown>[] = []
    for (const job of this.jobs.values()) {
      if (job.followUp) inFlight.push(job.followUp)
      else if (job.running) inFlight.push(job.running)
    }
    await Promise.all(inFlight)
  }

  private schedule(job: Job): void {
    job.timer = this.clock.setTimeout(() => this.tick(job), job.intervalMs)
  }

  private tick(job: Job): void {
    job.timer = undefined
    if (this.state !== 'started') return
    this.schedule(job)
    if (job.running) {
      this.emit({ type: 'job', name: job.name, status: 'skipped', at: this.clock.now() })
      this.logger?.debug({ job: job.name }, 'job tick skipped: the previous run is still going')
      return
    }
    void this.execute(job)
  }

  private execute(job: Job): Promise<JobOutcome> {
    const started = this.clock.now()
    this.emit({ type: 'job', name: job.name, status: 'started', at: started })
    // The body starts in a microtask, so `job.running` is set before any of it runs,
    // even when the body is synchronous and throws at once.
    const run: Promise<JobOutcome> = Promise.resolve()
      .then(() => job.run(started))
      .then(
        (): JobOutcome => ({ status: 'finished', durationMs: this.clock.now() - started }),
        (err: unknown): JobOutcome => {
          this.logger?.error({ job: job.name, err }, 'job run failed')
          const error = err instanceof Error ? err.message : String(err)
          return { status: 'failed', durationMs: this.clock.now() - started, error }
        },
      )
      .then((outcome) => {
        if (job.running === run) job.running = undefined
        this.emit({ type: 'job', name: job.name, at: this.clock.now(), ...outcome })
        return outcome
      })
    job.running = run
    return run
  }

  /** A throwing listener must not break the scheduler. */
  private emit(event: JobEvent): void {
    if (!this.onEvent) return
    try {
      this.onEvent(event)
    } catch (err) {
      this.logger?.error({ err, event: event.status, job: event.name }, 'job event listener threw')
    }
  }
}
