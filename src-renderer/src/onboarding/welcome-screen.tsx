/** First start: what this app is, and the two ways in (a new identity, or a backup). */
import { Button } from '../components/button.js'
import { RouteLink } from '../routing/link.js'
import { AuthLayout } from './auth-layout.js'

export function WelcomeScreen({ onCreate, onRestore }: { onCreate(): void; onRestore(): void }) {
  return (
    <AuthLayout
      title="Welcome"
      lead="Negotiate and sign agreements with people you do not have to trust. Every step is signed with a key that never leaves this device, and no server stands in the middle."
    >
      <div className="stack">
        <Button variant="primary" onClick={onCreate} autoFocus>
          Create a new identity
        </Button>
        <Button onClick={onRestore}>Restore from a backup file</Button>
      </div>
      <p className="auth__note">
        Your identity is a key pair made on this device and sealed with your passphrase. Nobody, including us, can recover the
        passphrase for you.
      </p>
      <p className="auth__note">
        New to this? <RouteLink to={{ view: 'demo' }}>Watch a live demo</RouteLink>: two parties reach a binding agreement on this
        computer, with keys of their own.
      </p>
    </AuthLayout>
  )
}
