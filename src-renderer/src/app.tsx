/**
 * The root: connection first, then the identity gate (onboarding, unlock), then
 * the shell. The connection banner and the toasts sit above everything.
 */
import { IdentityGate } from './onboarding/identity-gate.js'
import { AppShell } from './shell/app-shell.js'
import { ConnectionBanner } from './shell/connection-banner.js'
import { ConnectingScreen, CoreErrorScreen, UnreachableScreen } from './shell/startup-screens.js'
import { Toaster } from './shell/toaster.js'
import { valueOf } from './state/remote.js'
import { useApp } from './state/store-context.js'

export function App() {
  return (
    <>
      <ConnectionBanner />
      <Body />
      <Toaster />
    </>
  )
}

function Body() {
  const connection = useApp((s) => s.connection)
  const identityRemote = useApp((s) => s.identity)
  const refreshIdentity = useApp((s) => s.refreshIdentity)
  const retryConnection = useApp((s) => s.retryConnection)
  const identity = valueOf(identityRemote)

  if (!identity) {
    if (connection.status === 'offline') return <UnreachableScreen onRetry={retryConnection} />
    if (identityRemote.state === 'failed') return <CoreErrorScreen error={identityRemote.error} onRetry={() => void refreshIdentity()} />
    return <ConnectingScreen />
  }
  return (
    <IdentityGate identity={identity}>
      <AppShell identity={identity} />
    </IdentityGate>
  )
}
