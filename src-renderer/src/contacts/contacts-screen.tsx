/**
 * Contacts (DESIGN sections 2 and 8): my card to hand out (text and QR), adding
 * someone from the card they sent (fingerprints compared by voice before it is
 * saved), and everyone added with their trust score and its history. A
 * `trust:contact/...` link opens here with the card filled in.
 */
import type { Route } from '../routing/routes.js'
import { Screen } from '../components/screen.js'
import { AddContactPanel } from './add-contact-panel.js'
import { ContactList } from './contact-list.js'
import { MyCardPanel } from './my-card-panel.js'
import '../styles/contacts.css'

export function ContactsScreen({ route }: { route: Extract<Route, { view: 'contacts' }> }) {
  return (
    <Screen
      title="Contacts"
      lead="The people you negotiate with. Swap contact cards, then read your fingerprints to each other before you save one."
    >
      <div className="grid contacts__top">
        <MyCardPanel />
        {/* A new card from a link starts the form afresh. */}
        <AddContactPanel key={route.card ?? ''} initialCard={route.card} />
      </div>
      <ContactList />
    </Screen>
  )
}
