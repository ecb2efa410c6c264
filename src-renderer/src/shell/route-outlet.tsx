/** Renders the screen of the current route; a route with no screen in this build is "not found". */
import type { Route } from '../routing/routes.js'
import { NotFoundScreen } from './not-found-screen.js'
import { SCREENS, type ScreenComponent } from './screens.js'

export function RouteOutlet({ route }: { route: Route }) {
  const Screen = SCREENS[route.view] as ScreenComponent | undefined
  if (route.view === 'not-found') return <NotFoundScreen kind={route.path === '/link' || route.path.startsWith('/join') || route.path.startsWith('/contacts') ? 'bad-link' : 'nothing'} />
  if (!Screen) return <NotFoundScreen kind="unavailable" />
  return <Screen route={route} />
}
