/**
 * What stands before the app: onboarding when the profile has no identity, the
 * lock screen when it is locked, the app itself when it is unlocked. The
 * onboarding steps are local to this gate; the route waits untouched, so a
 * `trust:` link opened while locked is shown right after unlocking.
 */
import { useEffect, useState, type ReactNode } from 'react'
import type { IdentityStatus } from '../../../src-main/api.js'
import { CreateIdentityScreen } from './create-identity-screen.js'
import { RestoreScreen } from './restore-screen.js'
import { UnlockScreen } from './unlock-screen.js'
import { WelcomeScreen } from './welcome-screen.js'

type Step = 'start' | 'create' | 'restore'

export function IdentityGate({ identity, children }: { identity: IdentityStatus; children: ReactNode }) {
  const [step, setStep] = useState<Step>('start')
  const gate = !identity.exists ? 'new' : identity.unlocked ? 'open' : 'locked'
  // Each time the gate closes again (a lock), start from its first screen.
  useEffect(() => setStep('start'), [gate])

  if (gate === 'open') return <>{children}</>
  if (step === 'restore') return <RestoreScreen onBack={() => setStep('start')} />
  if (gate === 'locked') return <UnlockScreen identity={identity} onRestore={() => setStep('restore')} />
  if (step === 'create') return <CreateIdentityScreen onBack={() => setStep('start')} />
  return <WelcomeScreen onCreate={() => setStep('create')} onRestore={() => setStep('restore')} />
}
