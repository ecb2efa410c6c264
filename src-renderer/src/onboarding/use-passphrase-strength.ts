/** The strength of a passphrase as it is typed; null until the checker has loaded or while empty. */
import { useDeferredValue, useEffect, useState } from 'react'
import { loadStrengthChecker, type Strength, type StrengthChecker } from './passphrase-strength.js'

export function usePassphraseStrength(passphrase: string, userInputs: readonly string[]): Strength | null {
  const [checker, setChecker] = useState<StrengthChecker | null>(null)
  useEffect(() => {
    let live = true
    loadStrengthChecker().then(
      (c) => live && setChecker(() => c),
      () => undefined, // no meter rather than no onboarding; the length rule still applies
    )
    return () => {
      live = false
    }
  }, [])
  const deferred = useDeferredValue(passphrase)
  if (checker === null || deferred === '') return null
  return checker(deferred, userInputs)
}
