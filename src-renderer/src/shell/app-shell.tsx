/**
 * The unlocked app: navigation on the left, the current screen on the right.
 * When the view changes, focus moves to the new screen's title so keyboard and
 * screen-reader users land where the content starts.
 */
import { useEffect, useRef } from 'react'
import type { IdentityStatus } from '../../../src-main/api.js'
import { BrandMark } from '../components/brand-mark.js'
import { SCREEN_TITLE_ID } from '../components/screen.js'
import { RouteLink } from '../routing/link.js'
import { formatRoute } from '../routing/routes.js'
import { useApp } from '../state/store-context.js'
import { IdentityMenu } from './identity-menu.js'
import { RouteOutlet } from './route-outlet.js'
import { NAV } from './screens.js'
import { Toaster } from './toaster.js'

export function AppShell({ identity }: { identity: IdentityStatus }) {
  const route = useApp((s) => s.route)
  const current = formatRoute(route)
  const first = useRef(true)

  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    document.getElementById(SCREEN_TITLE_ID)?.focus()
  }, [current])

  return (
    <>
      <div className="shell">
        <button type="button" className="skip-link" onClick={() => document.getElementById(SCREEN_TITLE_ID)?.focus()}>
          Skip to content
        </button>
        <nav className="sidebar" aria-label="Main">
          <BrandMark compact />
          <ul className="nav">
            {NAV.map((item) => {
              const active = item.route.view === route.view || (item.also?.includes(route.view) ?? false)
              return (
                <li key={item.label}>
                  <RouteLink to={item.route} className={active ? 'nav__link is-active' : 'nav__link'} aria-current={active ? 'page' : undefined}>
                    {item.icon}
                    <span>{item.label}</span>
                  </RouteLink>
                </li>
              )
            })}
          </ul>
          <div className="sidebar__footer">
            <IdentityMenu identity={identity} />
          </div>
        </nav>
        <main className="shell__main" id="main">
          <RouteOutlet route={route} />
        </main>
      </div>
      {/* Outside the grid: Radix puts the toast viewport in a wrapper that would take a grid row. */}
      <Toaster />
    </>
  )
}
