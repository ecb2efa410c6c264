/**
 * A view shown without an unlocked identity, in a frame of its own (no sidebar):
 * the live demo, which runs peers of its own, and Verify, which needs no key
 * (DESIGN section 10). `trust demo --ui` opens a fresh, empty profile on the demo,
 * and the demo's "Export and verify" goes on to Verify from there.
 */
import { BrandMark } from '../components/brand-mark.js'
import { RouteLink } from '../routing/link.js'
import type { Route } from '../routing/routes.js'
import { NotFoundScreen } from '../shell/not-found-screen.js'
import { SCREENS, type ScreenComponent } from '../shell/screens.js'

export function OpenView({ route }: { route: Route }) {
  const Screen = SCREENS[route.view] as ScreenComponent | undefined
  return (
    <div className="open-view">
      <header className="open-view__bar">
        <BrandMark compact />
        <RouteLink to={{ view: 'home' }} className="open-view__home">
          Open your own space
        </RouteLink>
      </header>
      <main className="open-view__main" id="main">
        {Screen ? <Screen route={route} /> : <NotFoundScreen kind="unavailable" />}
      </main>
    </div>
  )
}
