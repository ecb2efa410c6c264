/**
 * The screen of each view, and the views in the navigation. A new screen is one
 * entry here (and its route in routing/routes.ts); see src-renderer/README.md.
 */
import type { ComponentType, ReactNode } from 'react'
import { ChainIcon, CheckIcon, DemoIcon, DocumentIcon, HomeIcon, PeopleIcon, SettingsIcon } from '../components/icons.js'
import { ContactsScreen } from '../contacts/contacts-screen.js'
import { ReceiptsScreen } from '../receipts/receipts-screen.js'
import { VerifyScreen } from '../verify/verify-screen.js'
import { DemoRoute } from '../demo/demo-route.js'
import { HomeScreen } from '../home/home-screen.js'
import { JoinScreen } from '../negotiations/join-screen.js'
import { NegotiationScreen } from '../negotiations/negotiation-screen.js'
import { NegotiationsScreen } from '../negotiations/negotiations-screen.js'
import { NewNegotiationScreen } from '../negotiations/new-negotiation-screen.js'
import type { Route, View } from '../routing/routes.js'
import { SettingsScreen } from '../settings/settings-screen.js'

/** A screen gets the route that chose it (with its parameters). */
export type ScreenComponent<V extends View = View> = ComponentType<{ route: Extract<Route, { view: V }> }>

type ScreenTable = { [V in View]?: ScreenComponent<V> }

export const SCREENS: ScreenTable = {
  home: HomeScreen,
  negotiations: NegotiationsScreen,
  'new-negotiation': NewNegotiationScreen,
  join: JoinScreen,
  negotiation: NegotiationScreen,
  settings: SettingsScreen,
  contacts: ContactsScreen,
  receipts: ReceiptsScreen,
  verify: VerifyScreen,
  demo: DemoRoute,
}

export interface NavItem {
  route: Route
  label: string
  icon: ReactNode
  /** Views that highlight this item besides its own (e.g. a negotiation's detail under "Negotiations"). */
  also?: readonly View[]
}

/** In order. Only views with a screen belong here. */
export const NAV: readonly NavItem[] = [
  { route: { view: 'home' }, label: 'Overview', icon: <HomeIcon /> },
  { route: { view: 'negotiations' }, label: 'Negotiations', icon: <DocumentIcon />, also: ['new-negotiation', 'join', 'negotiation'] },
  { route: { view: 'contacts' }, label: 'Contacts', icon: <PeopleIcon /> },
  { route: { view: 'receipts' }, label: 'Receipts', icon: <ChainIcon /> },
  { route: { view: 'verify' }, label: 'Verify', icon: <CheckIcon /> },
  { route: { view: 'demo' }, label: 'Live demo', icon: <DemoIcon /> },
  { route: { view: 'settings' }, label: 'Settings', icon: <SettingsIcon /> },
]

export function hasScreen(view: View): boolean {
  return SCREENS[view] !== undefined
}
