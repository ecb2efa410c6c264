/**
 * Says plainly when the page has lost its Trust peer (browser mode: the
 * WebSocket dropped) and when it will try again; gone as soon as it is back.
 */
import { useEffect, useState } from 'react'
import { Button } from '../components/button.js'
import { useApp } from '../state/store-context.js'

export function ConnectionBanner() {
  const connection = useApp((s) => s.connection)
  const retry = useApp((s) => s.retryConnection)
  const now = useNow(connection.status === 'offline')
  if (connection.status !== 'offline') return null
  const seconds = Math.max(0, Math.ceil((connection.retryAt - now) / 1000))
  return (
    <div className="banner banner--warning" role="alert">
      <p className="banner__text">
        <strong>Connection to your Trust peer lost.</strong>{' '}
        {seconds > 0 ? `Trying again in ${seconds} s.` : 'Reconnecting…'} Nothing you do now is sent until it is back. If you
        restarted <code>trust serve</code>, open the new link it printed.
      </p>
      <Button variant="secondary" onClick={retry}>
        Retry now
      </Button>
    </div>
  )
}

/** The time, ticking each second while `active` (a countdown on screen, not a poll of the core). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [active])
  return now
}
