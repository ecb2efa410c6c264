/**
 * Who a key is, for this user: "You", a contact's name (typed by them or by
 * the user: shown inert), or nobody we know (then only the fingerprint says it).
 */
import { useEffect, useMemo } from 'react'
import type { PublicKeyHex } from '../../../src-main/api.js'
import { fingerprintOf } from '../components/fingerprint.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'

export interface PartyName {
  /** "You", the contact's name, or "Unknown party". */
  name: string
  you: boolean
  known: boolean
  fingerprint: string
}

export type NameOf = (key: PublicKeyHex) => PartyName

export function usePartyNames(): { me: PublicKeyHex | null; nameOf: NameOf } {
  const contacts = useApp((s) => s.contacts)
  const loadContacts = useApp((s) => s.loadContacts)
  const me = useApp((s) => valueOf(s.identity)?.publicKey ?? null)
  useEffect(() => void loadContacts(), [loadContacts])
  const list = valueOf(contacts)
  const nameOf = useMemo(() => {
    const byKey = new Map((list ?? []).map((c) => [c.publicKey, c.name]))
    return (key: PublicKeyHex): PartyName => {
      const fingerprint = fingerprintOf(key)
      if (key === me) return { name: 'You', you: true, known: true, fingerprint }
      const name = byKey.get(key)
      return name === undefined ? { name: 'Unknown party', you: false, known: false, fingerprint } : { name, you: false, known: true, fingerprint }
    }
  }, [list, me])
  return { me, nameOf }
}
