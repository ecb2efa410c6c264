/**
 * The live demo behind `demo.*` (DESIGN section 11, "Demo"): one per serving
 * process (trust serve, the Electron main), independent of the user's own
 * identity and profile. It owns at most one DemoSession (two peers on an
 * embedded DHT) and runs the script in it: step by step, or by autoplay with a
 * pause between steps. Start, steps, reset and stop run one at a time; a reset
 * or stop interrupts a step that is waiting for the network. Every change is
 * announced as a `demo` event carrying the whole state.
 */
import type { ApiError, DemoEnvelope, DemoLatency, DemoPhase, DemoState, DemoStep, TrustEvent } from '../../api.js'
import { TrustError } from '../errors.js'
import { fingerprint } from '../crypto/ed25519.js'
import { serializeBundle } from '../bundle/export-bundle.js'
import { parseEnvelope, verifyEnvelopeSignature } from '../protocol/envelope.js'
import type { Logger } from '../telemetry/logger.js'
import { DEMO_SCRIPT, type ScriptContext } from './demo-script.js'
import { DemoSession, PARTY_NAMES, SIDES, type NodeFactory, type Side } from './demo-session.js'
import { PictureCache, readPicture, type DemoPicture } from './demo-snapshot.js'

export const DEFAULT_PAUSE_MS = 1200
export const MAX_PAUSE_MS = 10_000

export interface DemoControllerOptions {
  createNode: NodeFactory
  emit(event: TrustEvent): void
  logger?: Pick<Logger, 'info' | 'warn'>
  /** Where session directories are made; the system's temp folder by default. */
  tempRoot?: string
}

function freshSteps(): DemoStep[] {
  return DEMO_SCRIPT.map((s, index) => ({
    index,
    id: s.id,
    title: s.title,
    actor: s.actor,
    optional: s.optional,
    status: 'pending',
    lines: [],
    ms: null,
    hash: null,
    latency: null,
    refused: null,
    error: null,
  }))
}

function emptyPicture(): DemoPicture {
  return {
    parties: SIDES.map((side) => ({ side, name: PARTY_NAMES[side], publicKey: null, fingerprint: null, state: null, receipts: { count: 0, head: null, checkpoints: [] } })),
    messages: [],
  }
}

function apiError(err: unknown): ApiError {
  const e = TrustError.from(err)
  return { code: e.code, message: e.message }
}

function refuse(reason: string, text: string): TrustError {
  return new TrustError('ILLEGAL_ACTION', text, { reason })
}

export class DemoController {
  private session: DemoSession | null = null
  private ctx: ScriptContext | null = null
  private cache = new PictureCache()
  private sessionNo = 0
  private version = 0
  private phase: DemoPhase = 'stopped'
  /** Operations running (a step, a start, a reset): busy while above zero. */
  private running = 0
  private stepAsked = false
  private autoplayOn = false
  private pauseMs = DEFAULT_PAUSE_MS
  private steps: DemoStep[] = freshSteps()
  private next = 0
  private picture: DemoPicture = emptyPicture()
  private error: ApiError | null = null
  /** Start, steps, reset and stop, one after the other. */
  private queue: Promise<unknown> = Promise.resolve()
  /** Ends the pause between two autoplayed steps early (pause, reset, a new speed). */
  private wake: (() => void) | null = null
  private refreshing = false
  /** Sides whose engine changed since the last read. */
  private readonly dirty = new Set<Side>()
  private announcing = false
  private closed = false

  constructor(private readonly o: DemoControllerOptions) {}

  state(): DemoState {
    const [alice, bob] = this.picture.parties
    const a = alice?.state?.bindingHash ?? null
    return {
      session: this.sessionNo,
      version: this.version,
      phase: this.phase,
      busy: this.running > 0,
      autoplay: this.autoplayOn,
      pauseMs: this.pauseMs,
      next: this.next,
      steps: this.steps.map((s) => ({ ...s, lines: [...s.lines] })),
      negotiation: this.ctx?.negotiation ?? null,
      parties: this.picture.parties,
      messages: this.picture.messages,
      sameBindingHash: a !== null && a === (bob?.state?.bindingHash ?? null),
      error: this.error,
    }
  }

  async start(): Promise<DemoState> {
    this.live()
    await this.exclusive(() => this.open())
    return this.state()
  }

  async step(): Promise<DemoState> {
    this.live()
    if (this.autoplayOn) throw refuse('AUTOPLAY_RUNNING', 'the demo is playing by itself; pause it first')
    if (this.stepAsked) throw refuse('STEP_RUNNING', 'a step is still running')
    if (this.next >= this.steps.length) throw refuse('DEMO_FINISHED', 'the demo is over; reset it to play again')
    // One asked-for step at a time; it runs after whatever holds the queue (autoplay's last step, a reset).
    this.stepAsked = true
    this.setBusy(true)
    try {
      await this.exclusive(async () => {
        await this.open()
        await this.runNext()
      })
    } finally {
      this.stepAsked = false
      this.setBusy(false)
    }
    return this.state()
  }

  autoplay(pauseMs: number = this.pauseMs): DemoState {
    this.live()
    if (!Number.isSafeInteger(pauseMs) || pauseMs < 0 || pauseMs > MAX_PAUSE_MS) throw TrustError.invalidInput(`pauseMs must be 0 to ${MAX_PAUSE_MS}`, { field: 'pauseMs' })
    this.pauseMs = pauseMs
    if (this.autoplayOn) {
      this.wake?.()
      this.changed()
      return this.state()
    }
    if (this.next >= this.steps.length) throw refuse('DEMO_FINISHED', 'the demo is over; reset it to play again')
    this.autoplayOn = true
    this.changed()
    void this.play()
    return this.state()
  }

  pause(): DemoState {
    this.live()
    this.stopAutoplay()
    this.changed()
    return this.state()
  }

  async reset(): Promise<DemoState> {
    this.live()
    this.stopAutoplay()
    this.session?.abort.abort() // a step waiting on the network gives up now
    this.setBusy(true)
    try {
      await this.exclusive(async () => {
        await this.teardown()
        await this.open()
      })
    } finally {
      this.setBusy(false)
    }
    return this.state()
  }

  async stop(): Promise<DemoState> {
    this.live()
    this.stopAutoplay()
    this.session?.abort.abort()
    await this.exclusive(() => this.teardown())
    return this.state()
  }

  /** The full envelope of a message either side holds, its signature checked here. */
  async envelope(hash: string): Promise<DemoEnvelope> {
    const session = this.session
    const negotiation = this.ctx?.negotiation ?? null
    if (session === null || negotiation === null) throw TrustError.notFound(`message ${hash.slice(0, 12)} (the demo has no negotiation yet)`)
    const heldBy: Side[] = []
    let bytes: Uint8Array | null = null
    for (const side of SIDES) {
      const found = session.peers[side].internals.storedEnvelopes(negotiation).find((m) => m.hash === hash)
      if (found === undefined) continue
      heldBy.push(side)
      bytes ??= found.bytes
    }
    if (bytes === null) throw TrustError.notFound(`message ${hash.slice(0, 12)} in the demo`)
    const signed = parseEnvelope(bytes)
    const key = signed.envelope.author
    const party = this.picture.parties.find((p) => p.publicKey === key)
    return {
      hash: signed.hash,
      envelope: JSON.parse(new TextDecoder().decode(signed.bytes)) as DemoEnvelope['envelope'],
      canonical: new TextDecoder().decode(signed.bytes),
      signature: { valid: verifyEnvelopeSignature(signed), key, fingerprint: fingerprint(key), name: party?.name ?? null },
      heldBy,
    }
  }

  /** The agreement bundle as `side` exports it (DESIGN section 10). */
  async exportBundle(side: Side): Promise<{ name: string; text: string }> {
    const session = this.session
    const negotiation = this.ctx?.negotiation ?? null
    if (session === null || negotiation === null) throw TrustError.notFound('an agreement to export (the demo has no negotiation yet)')
    const bundle = await session.guard(session.peers[side].api['negotiations.export']({ negotiation }))
    return { name: `${negotiation.slice(0, 16)}.trust.json`, text: serializeBundle(bundle as unknown as Parameters<typeof serializeBundle>[0]) }
  }

  /** Stops autoplay and closes the session; later calls fail with CLOSED. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.stopAutoplay()
    this.session?.abort.abort()
    await this.exclusive(() => this.teardown())
  }

  // ---- inside the queue ------------------------------------------------------

  private async open(): Promise<void> {
    if (this.session !== null) return
    this.sessionNo += 1
    this.phase = 'starting'
    this.error = null
    this.changed()
    try {
      const session = await DemoSession.open({
        createNode: this.o.createNode,
        ...(this.o.tempRoot === undefined ? {} : { tempRoot: this.o.tempRoot }),
        onChange: (side, event) => {
          if (event.type === 'message' || event.type === 'negotiation' || event.type === 'identity') this.refresh(side)
        },
      })
      this.session = session
      this.cache = new PictureCache()
      this.ctx = {
        session,
        negotiation: null,
        invite: null,
        checkpoints: { alice: [], bob: [] },
        signed: (hash, latency) => this.signed(hash, latency),
      }
      this.phase = 'ready'
      this.o.logger?.info({ session: this.sessionNo }, 'demo peers started')
    } catch (err) {
      this.phase = 'stopped'
      this.error = apiError(err)
      this.changed()
      throw err
    }
    this.picture = await readPicture(this.session, null, this.ctx.checkpoints, this.cache)
    this.changed()
  }

  private async runNext(): Promise<void> {
    const session = this.session
    const ctx = this.ctx
    if (session === null || ctx === null) throw new TrustError('CLOSED', 'the demo is not running')
    const index = this.next
    const def = DEMO_SCRIPT[index]
    if (def === undefined) throw refuse('DEMO_FINISHED', 'the demo is over; reset it to play again')
    this.patchStep(index, { status: 'running', lines: [], ms: null, hash: null, latency: null, refused: null, error: null })
    this.error = null
    this.changed()
    const started = performance.now()
    try {
      const outcome = await def.run(ctx)
      if (session !== this.session) return
      this.patchStep(index, {
        status: 'done',
        lines: outcome.lines,
        ms: Math.round(performance.now() - started),
        hash: outcome.hash ?? null,
        latency: outcome.latency ?? null,
        refused: outcome.refused ?? null,
      })
      this.next = index + 1
    } catch (err) {
      if (session !== this.session || session.closed) return // reset or stopped meanwhile
      const error = apiError(err)
      this.patchStep(index, { status: 'failed', ms: Math.round(performance.now() - started), error })
      this.error = error
      this.o.logger?.warn({ step: def.id, code: error.code }, 'demo step failed')
      this.changed()
      throw err
    }
    this.picture = await readPicture(session, ctx.negotiation, ctx.checkpoints, this.cache)
    this.changed()
  }

  private async teardown(): Promise<void> {
    const session = this.session
    this.session = null
    this.ctx = null
    this.steps = freshSteps()
    this.next = 0
    this.picture = emptyPicture()
    this.error = null
    this.phase = 'stopped'
    if (session !== null) {
      await session.close()
      this.o.logger?.info({ session: this.sessionNo }, 'demo peers closed')
    }
    this.changed()
  }

  // ---- autoplay --------------------------------------------------------------

  private async play(): Promise<void> {
    try {
      while (this.autoplayOn && !this.closed && this.next < this.steps.length) {
        this.setBusy(true)
        try {
          await this.exclusive(async () => {
            if (!this.autoplayOn) return
            await this.open()
            await this.runNext()
          })
        } finally {
          this.setBusy(false)
        }
        if (!this.autoplayOn || this.next >= this.steps.length) break
        await this.pauseBetweenSteps()
      }
    } catch {
      // the failed step and the error are in the state already
    } finally {
      if (this.autoplayOn) {
        this.autoplayOn = false
        this.changed()
      }
    }
  }

  private pauseBetweenSteps(): Promise<void> {
    if (this.pauseMs === 0) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pauseMs)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.wake = () => {
        this.wake = null
        done()
      }
    })
  }

  private stopAutoplay(): void {
    this.autoplayOn = false
    this.wake?.()
  }

  // ---- state and events ------------------------------------------------------

  /** A step signed its message: show the hash and the time it was made at once, before the other side has it. */
  private signed(hash: string, latency: DemoLatency): void {
    this.patchStep(this.next, { hash, latency })
    this.changed()
    this.refresh(latency.from)
  }

  private patchStep(index: number, patch: Partial<DemoStep>): void {
    const current = this.steps[index]
    if (current !== undefined) this.steps[index] = { ...current, ...patch }
  }

  private setBusy(busy: boolean): void {
    this.running = Math.max(0, this.running + (busy ? 1 : -1))
    this.changed()
  }

  /** Announces the state once for all the changes made before the event loop turns (each event repaints the page). */
  private changed(): void {
    this.version += 1
    if (this.announcing) return
    this.announcing = true
    setImmediate(() => {
      this.announcing = false
      this.o.emit({ type: 'demo', state: this.state() })
    })
  }

  /** Re-reads a side after its engine's event; one read at a time, so a burst of events costs at most two. */
  private refresh(side: Side): void {
    this.dirty.add(side)
    if (this.refreshing) return
    this.refreshing = true
    void (async () => {
      try {
        while (this.dirty.size > 0) {
          const sides = SIDES.filter((s) => this.dirty.has(s))
          this.dirty.clear()
          const session = this.session
          const ctx = this.ctx
          if (session === null || ctx === null || session.closed) break
          const picture = await readPicture(session, ctx.negotiation, ctx.checkpoints, this.cache, sides)
          if (session !== this.session) break
          this.picture = picture
          this.changed()
        }
      } catch (err) {
        // A peer closing under a read (reset): the next session reads afresh.
        if (this.session !== null && !this.session.closed) this.o.logger?.warn({ err: TrustError.from(err).code }, 'demo refresh failed')
      } finally {
        this.refreshing = false
      }
    })()
  }

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run)
    this.queue = result.catch(() => undefined)
    return result
  }

  private live(): void {
    if (this.closed) throw new TrustError('CLOSED', 'the node is closed')
  }
}
