import { useEffect } from 'react'
import { useIdentityStore, type IdentityView } from './identity-store.js'
import { onTrust } from './trust-client.js'

function IdentityLine({ view }: { view: IdentityView }) {
  switch (view.kind) {
    case 'loading':
      return <p>Checking your identity…</p>
    case 'no-bridge':
      return <p>No connection to the app core: open this page from the Trust Primitive app.</p>
    case 'error':
      return (
        <p role="alert">
          The core answered <code>{view.error.code}</code>: {view.error.message}
        </p>
      )
    case 'ready': {
      const { identity } = view
      if (!identity.exists) return <p>No identity yet: create one to start.</p>
      return (
        <p>
          {identity.name ?? 'Unnamed'} — {identity.unlocked ? 'unlocked' : 'locked'}
          {identity.fingerprint ? <> — fingerprint <code>{identity.fingerprint}</code></> : null}
        </p>
      )
    }
  }
}

export function App() {
  const view = useIdentityStore((s) => s.view)
  const refresh = useIdentityStore((s) => s.refresh)

  useEffect(() => {
    void refresh()
    return onTrust('identity', () => void refresh())
  }, [refresh])

  return (
    <main>
      <h1>Trust Primitive</h1>
      <IdentityLine view={view} />
    </main>
  )
}
