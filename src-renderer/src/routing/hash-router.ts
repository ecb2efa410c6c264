/**
 * Keeps the store's route and the address fragment in step: a new fragment (Back,
 * a typed address, a link) sets the route, and `navigate` writes the fragment,
 * which adds a history entry so Back works.
 */
import type { AppStore } from '../state/store.js'
import { formatRoute, parseRoute, sameRoute } from './routes.js'

export function bindHashRouter(win: Window, store: AppStore): () => void {
  const fromAddress = (): void => store.getState().navigate(parseRoute(win.location.hash))
  fromAddress()
  win.addEventListener('hashchange', fromAddress)
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.route === previous.route) return
    if (!sameRoute(parseRoute(win.location.hash), state.route)) win.location.hash = formatRoute(state.route)
  })
  return () => {
    win.removeEventListener('hashchange', fromAddress)
    unsubscribe()
  }
}
