/** The invite of a negotiation, asked for once when a screen shows it. */
import { useEffect, useState } from 'react'
import type { ApiError } from '../../../src-main/api.js'
import { useApp } from '../state/store-context.js'

export function useInvite(negotiation: string): { value: string | null; error: ApiError | null } {
  const ask = useApp((s) => s.negotiationInvite)
  const [result, setResult] = useState<{ value: string | null; error: ApiError | null }>({ value: null, error: null })
  useEffect(() => {
    let live = true
    void ask(negotiation).then((r) => live && setResult(r.ok ? { value: r.value.invite, error: null } : { value: null, error: r.error }))
    return () => {
      live = false
    }
  }, [ask, negotiation])
  return result
}
