/**
 * The core locks the key after a stretch with no API call (DESIGN section 2).
 * Someone reading a long contract makes no call, yet is not idle: a key press or
 * a click tells the core so, at most once every `everyMs`. Only the user's own
 * input counts; nothing here runs on a timer.
 */
import type { AppStore } from '../state/store.js'

export function reportActivity(win: Window, store: AppStore, everyMs = 30_000): () => void {
  let last = 0
  const onInput = (): void => {
    const now = Date.now()
    const s = store.getState()
    if (now - last < everyMs || s.connection.status !== 'online') return
    const identity = s.identity.state === 'ready' ? s.identity.value : null
    if (!identity?.unlocked) return
    last = now
    // Any call restarts the core's idle countdown; status is the cheapest.
    void s.refreshIdentity()
  }
  win.addEventListener('keydown', onInput, { capture: true, passive: true })
  win.addEventListener('pointerdown', onInput, { capture: true, passive: true })
  return () => {
    win.removeEventListener('keydown', onInput, { capture: true })
    win.removeEventListener('pointerdown', onInput, { capture: true })
  }
}
