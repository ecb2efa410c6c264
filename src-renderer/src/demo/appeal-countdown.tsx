/**
 * An appeal and the time left to decide it, counted down once a second on the
 * page's clock (display only: the core decides LAPSED from its own clock).
 */
import { useEffect, useState } from 'react'
import type { Appeal } from '../../../src-main/api.js'

function left(ms: number): string {
  if (ms <= 0) return 'the window has closed'
  const s = Math.floor(ms / 1000)
  const days = Math.floor(s / 86_400)
  const clock = [Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':')
  return `${days > 0 ? `${days} d ` : ''}${clock} left`
}

export function AppealCountdown({ appeal }: { appeal: Appeal }) {
  const due = Date.parse(appeal.due)
  const [now, setNow] = useState(() => Date.now())
  const open = appeal.status === 'OPEN'
  useEffect(() => {
    if (!open) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [open])
  return (
    <span className="demo-appeal">
      <span>
        {appeal.status}
        {appeal.outcome ? `, ${appeal.outcome}` : ''}, until <time dateTime={appeal.due}>{new Date(due).toLocaleString()}</time>
      </span>
      {open ? (
        <span className="demo-appeal__countdown mono" aria-hidden="true">
          {left(due - now)}
        </span>
      ) : null}
    </span>
  )
}
