/**
 * The script, step by step: what each step did in the engines' words, its time,
 * and for a message one side signed, how long until the other side's engine had
 * it and until this page painted it there. The optional steps come after the
 * agreement, under their own heading.
 */
import { memo, useEffect, useRef } from 'react'
import type { DemoStep } from '../../../src-main/api.js'
import { ErrorNote } from '../components/error-note.js'
import { ACTOR_NAMES, SIDE_NAMES } from './demo-names.js'

const STATUS_TEXT: Readonly<Record<DemoStep['status'], string>> = { pending: 'to do', running: 'running', done: 'done', failed: 'failed' }

const StepItem = memo(function StepItem({ step, current, painted }: { step: DemoStep; current: boolean; painted: number | undefined }) {
  const l = step.latency
  const engineMs = l !== null && l.arrivedAt !== null ? l.arrivedAt - l.actedAt : null
  return (
    <li
      className={`demo-step demo-step--${step.status}${current ? ' is-current' : ''}`}
      data-step-id={step.id}
      data-status={step.status}
      {...(painted === undefined ? {} : { 'data-paint-ms': painted.toFixed(1) })}
      aria-current={current ? 'step' : undefined}
    >
      <div className="demo-step__head">
        <span className="demo-step__index">{step.index + 1}</span>
        <span className="demo-step__title">{step.title}</span>
        <span className={`demo-step__actor demo-step__actor--${step.actor}`}>{ACTOR_NAMES[step.actor]}</span>
        <span className="demo-step__status">{STATUS_TEXT[step.status]}</span>
      </div>
      {step.lines.length > 0 ? (
        <ul className="demo-step__lines">
          {step.lines.map((line, i) => (
            <li key={i} className="inert-name">
              {line}
            </li>
          ))}
        </ul>
      ) : null}
      {step.status === 'done' && (step.ms !== null || l !== null) ? (
        <p className="demo-step__timing muted">
          {step.ms !== null ? `${step.ms} ms in all` : ''}
          {l !== null && engineMs !== null ? ` · on ${SIDE_NAMES[l.to]}'s engine ${engineMs.toFixed(0)} ms after ${SIDE_NAMES[l.from]} acted` : ''}
          {l !== null && painted !== undefined ? ` · painted on ${SIDE_NAMES[l.to]}'s side after ${painted.toFixed(0)} ms` : ''}
        </p>
      ) : null}
      {step.refused ? (
        <p className="demo-step__refused">
          Refused: {step.refused.reason ?? step.refused.code}. Nothing was signed.
        </p>
      ) : null}
      {step.error ? <ErrorNote error={step.error} /> : null}
    </li>
  )
})

export const StepLog = memo(function StepLog({ steps, next, painted }: { steps: readonly DemoStep[]; next: number; painted: ReadonlyMap<string, number> }) {
  const main = steps.filter((s) => !s.optional)
  const optional = steps.filter((s) => s.optional)
  const item = (s: DemoStep) => (
    <StepItem key={s.id} step={s} current={s.index === next && next < steps.length} painted={s.latency ? painted.get(s.latency.hash) : undefined} />
  )
  // Keep the step being played in view inside the log (a jump: the log is long, the page is not scrolled).
  const scroller = useRef<HTMLDivElement>(null)
  useEffect(() => {
    // Once per step, in the next frame, where layout is computed anyway (reading it here could force an extra one).
    const frame = requestAnimationFrame(() => {
      const box = scroller.current
      const el = box?.querySelector<HTMLElement>('.demo-step.is-current') ?? null
      if (box === null || el === null) return
      const top = el.offsetTop // the scroller is the offset parent (position: relative)
      if (top < box.scrollTop || top + el.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, top - box.clientHeight / 3)
    })
    return () => cancelAnimationFrame(frame)
  }, [next])
  return (
    <section className="panel demo-log" aria-labelledby="demo-log-title">
      <h2 className="panel__title" id="demo-log-title">
        The script
      </h2>
      {/* Focusable so that keyboard users can scroll it. */}
      <div className="demo-log__scroller" ref={scroller} tabIndex={0} role="region" aria-labelledby="demo-log-title">
        <ol className="demo-log__steps">{main.map(item)}</ol>
        {optional.length > 0 ? (
          <>
            <h3 className="demo-log__subtitle">After the agreement: attacks and a dispute (optional)</h3>
            <ol className="demo-log__steps" start={main.length + 1}>
              {optional.map(item)}
            </ol>
          </>
        ) : null}
      </div>
    </section>
  )
})
