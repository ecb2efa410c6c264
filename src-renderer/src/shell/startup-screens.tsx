/** What shows before the identity is known: connecting, no way to connect, or the core failing to answer. */
import type { ApiError } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { ErrorNote } from '../components/error-note.js'
import { ProgressNote } from '../components/progress-note.js'
import { AuthLayout } from '../onboarding/auth-layout.js'

export function ConnectingScreen() {
  return (
    <AuthLayout title="Opening Trust Primitive">
      <ProgressNote label="Connecting to your Trust peer…" />
    </AuthLayout>
  )
}

/** While the unlocked app's code loads (it is its own chunk, usually fetched already). */
export function OpeningScreen() {
  return (
    <AuthLayout title="Opening Trust Primitive">
      <ProgressNote label="Opening…" />
    </AuthLayout>
  )
}

/** Browser mode without a token: the page was opened without the link `trust serve` printed. */
export function NoLinkScreen() {
  return (
    <AuthLayout
      title="Open the app from its link"
      lead="This page needs the key that comes with its link. Run trust serve, then open the address on its app line, all of it."
    >
      <pre className="code-block">
        <code>npx trust serve{'\n'}app http://127.0.0.1:PORT/#token=…</code>
      </pre>
      <p className="auth__note">The key travels after the # sign, so it never reaches any server or log.</p>
    </AuthLayout>
  )
}

export function UnreachableScreen({ onRetry }: { onRetry(): void }) {
  return (
    <AuthLayout
      title="Cannot reach your Trust peer"
      lead="The page could not connect. Is trust serve still running? If you restarted it, open the new link it printed: the old link's key no longer works."
    >
      <Button variant="primary" onClick={onRetry} autoFocus>
        Try again now
      </Button>
    </AuthLayout>
  )
}

export function CoreErrorScreen({ error, onRetry }: { error: ApiError; onRetry(): void }) {
  return (
    <AuthLayout title="Your profile could not be read">
      <ErrorNote error={error} />
      <Button variant="primary" onClick={onRetry}>
        Try again
      </Button>
    </AuthLayout>
  )
}
