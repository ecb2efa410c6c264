/** Contacts, my card and each contact's trust ledger (DESIGN sections 2 and 8). */
import type { ApiResult, CardPreview, Contact, LedgerEvent, PublicKeyHex } from '../../../src-main/api.js'
import { coalesce, coalesceByKey } from './coalesce.js'
import { IDLE, loadingFrom, settled, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

export interface ContactsSlice {
  contacts: Remote<Contact[]>
  myCard: Remote<string>
  trustEvents: Readonly<Record<PublicKeyHex, Remote<LedgerEvent[]>>>
  loadContacts(): Promise<void>
  loadMyCard(): Promise<void>
  loadTrustEvents(publicKey: PublicKeyHex): Promise<void>
  /** Checks a card and says what adding it would save (contacts.inspect); saves nothing. */
  inspectCard(card: string): Promise<ApiResult<CardPreview>>
  addContact(input: { card: string; name?: string }): Promise<ApiResult<Contact>>
  removeContact(publicKey: PublicKeyHex): Promise<ApiResult<null>>
}

export const createContactsSlice: SliceCreator<ContactsSlice> = (set, get, client) => {
  const loadContacts = coalesce(async () => {
    set({ contacts: loadingFrom(get().contacts) })
    const result = await client.call('contacts.list')
    set({ contacts: settled(get().contacts, result) })
  })
  const loadMyCard = coalesce(async () => {
    set({ myCard: loadingFrom(get().myCard) })
    const result = await client.call('contacts.myCard')
    set({ myCard: settled(get().myCard, result.ok ? { ok: true, value: result.value.card } : result) })
  })
  const loadTrustEvents = coalesceByKey(async (publicKey) => {
    const before = get().trustEvents[publicKey] ?? IDLE
    set({ trustEvents: { ...get().trustEvents, [publicKey]: loadingFrom(before) } })
    const result = await client.call('contacts.trustEvents', { publicKey })
    set({ trustEvents: { ...get().trustEvents, [publicKey]: settled(get().trustEvents[publicKey] ?? IDLE, result) } })
  })

  return {
    contacts: IDLE,
    myCard: IDLE,
    trustEvents: {},
    loadContacts,
    loadMyCard,
    loadTrustEvents,
    inspectCard: (card) => client.call('contacts.inspect', { card }),
    async addContact(input) {
      const result = await client.call('contacts.add', input)
      if (result.ok) await loadContacts()
      return result
    },
    async removeContact(publicKey) {
      const result = await client.call('contacts.remove', { publicKey })
      if (result.ok) {
        const { [publicKey]: _removed, ...rest } = get().trustEvents
        set({ trustEvents: rest })
        await loadContacts()
      }
      return result
    },
  }
}
