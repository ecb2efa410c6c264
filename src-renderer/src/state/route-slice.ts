/**
 * The current view. routing/hash-router.ts keeps it and the address fragment in
 * step, so `navigate` works the same from a click, the Electron menu or a link.
 */
import { HOME, sameRoute, type Route } from '../routing/routes.js'
import type { SliceCreator } from './store.js'

export interface RouteSlice {
  route: Route
  navigate(route: Route): void
}

export const createRouteSlice: SliceCreator<RouteSlice> = (set, get) => ({
  route: HOME,
  navigate(route) {
    if (!sameRoute(route, get().route)) set({ route })
  },
})
