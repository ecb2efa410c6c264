/**
 * The root: connection first, then the identity gate (onboarding, unlock), then
 * the shell. The connection banner and the toasts sit above everything.
 */
import { lazy, Suspense, useEffect } from 'react'
import { IdentityGate } from './onboarding/identity-gate.js'
import { ConnectionBanner } from './shell/connection-banner.js'
import { ConnectingScreen, CoreErrorScreen, OpeningScreen, UnreachableScreen } from './shell/startup-screens.js'
import { valueOf } from './state/remote.js'
import { useApp } from './state/store-context.js'

// The unlocked app (its screens, Radix menus, dialogs, tabs, toasts) is its own
// chunk, fetched while the lock screen shows: the first screen loads less (ui.load_ms).
const AppShell = lazy(() => import('./shell/app-shell.js').then((m) => ({ default: m.AppShell })))
const preloadShell = (): void => void import('./shell/app-shell.js')
// Views that need no unlocked identity (the demo runs peers of its own; Verify needs no key), framed without the sidebar.
const OpenView = lazy(() => import('./demo/open-view.js').then((m) => ({ default: m.OpenView })))
const OPEN_VIEWS: ReadonlySet<string> = new Set(['demo', 'verify'])

export function App() {
  return (
    <>
      <ConnectionBanner />
      <Body />
    </>
  )
}

function Body() {
  const connection = useApp((s) => s.connection)
  const identityRemote = useApp((s) => s.identity)
  const refreshIdentity = useApp((s) => s.refreshIdentity)
  const retryConnection = useApp((s) => s.retryConnection)
  const route = useApp((s) => s.route)
  const identity = valueOf(identityRemote)
  const exists = identity?.exists === true
  useEffect(() => {
    if (exists) preloadShell()
  }, [exists])

  if (!identity) {
    if (connection.status === 'offline') return <UnreachableScreen onRetry={retryConnection} />
    if (identityRemote.state === 'failed') return <CoreErrorScreen error={identityRemote.error} onRetry={() => void refreshIdentity()} />
    return <ConnectingScreen />
  }
  if (!(identity.exists && identity.unlocked) && OPEN_VIEWS.has(route.view)) {
    return (
      <Suspense fallback={<OpeningScreen />}>
        <OpenView route={route} />
      </Suspense>
    )
  }
  return (
    <IdentityGate identity={identity}>
      <Suspense fallback={<OpeningScreen />}>
        <AppShell identity={identity} />
      </Suspense>
    </IdentityGate>
  )
}
