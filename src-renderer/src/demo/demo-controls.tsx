/**
 * Step (one protocol action), autoplay with a speed, pause, reset (fresh peers
 * and keys). The core refuses what makes no sense (a step during autoplay, past
 * the end); the buttons say so first by being unavailable.
 */
import { useState, type ChangeEvent } from 'react'
import type { ApiError, ApiResult, DemoState } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { ErrorNote } from '../components/error-note.js'
import { useApp } from '../state/store-context.js'

/** Pauses between autoplayed steps (ms), slowest first. */
export const SPEEDS: readonly { label: string; pauseMs: number }[] = [
  { label: 'Slow', pauseMs: 3000 },
  { label: 'Normal', pauseMs: 1200 },
  { label: 'Fast', pauseMs: 400 },
  { label: 'Full speed', pauseMs: 0 },
]

export function DemoControls({ demo }: { demo: DemoState | undefined }) {
  const demoControl = useApp((s) => s.demoControl)
  const demoAutoplay = useApp((s) => s.demoAutoplay)
  const [error, setError] = useState<ApiError | null>(null)
  const [acting, setActing] = useState<string | null>(null)
  const [pauseMs, setPauseMs] = useState<number | null>(null)
  const speed = pauseMs ?? demo?.pauseMs ?? 1200

  const run = async (name: string, action: () => Promise<ApiResult<DemoState>>): Promise<void> => {
    setActing(name)
    setError(null)
    const result = await action()
    setActing(null)
    if (!result.ok) setError(result.error)
  }
  const finished = demo !== undefined && demo.next >= demo.steps.length
  const playing = demo?.autoplay === true
  const stepping = acting === 'step' || (demo?.busy === true && !playing)

  const onSpeed = (e: ChangeEvent<HTMLInputElement>): void => {
    const next = Number(e.target.value)
    setPauseMs(next)
    if (playing) void run('speed', () => demoAutoplay(next))
  }

  return (
    <div className="demo-controls">
      <div className="demo-controls__buttons" role="group" aria-label="Demo controls">
        {/* No spinner while a step runs (the status line says so): its animation would repaint the page under the measured update. */}
        <Button variant="primary" onClick={() => void run('step', () => demoControl('demo.step'))} disabled={demo === undefined || playing || finished || stepping}>
          Step
        </Button>
        {playing ? (
          <Button onClick={() => void run('pause', () => demoControl('demo.pause'))} busy={acting === 'pause'}>
            Pause
          </Button>
        ) : (
          <Button onClick={() => void run('autoplay', () => demoAutoplay(speed))} disabled={demo === undefined || finished} busy={acting === 'autoplay'}>
            Autoplay
          </Button>
        )}
        <Button variant="quiet" onClick={() => void run('reset', () => demoControl('demo.reset'))} disabled={demo === undefined || acting === 'reset'}>
          Reset
        </Button>
      </div>
      <fieldset className="demo-controls__speed">
        <legend>Autoplay speed</legend>
        {SPEEDS.map((s) => (
          <label key={s.pauseMs} className="demo-controls__speed-option">
            <input type="radio" name="demo-speed" value={s.pauseMs} checked={speed === s.pauseMs} onChange={onSpeed} />
            {s.label}
          </label>
        ))}
      </fieldset>
      {error ? <ErrorNote error={error} /> : null}
    </div>
  )
}
