/**
 * The store for React: <StoreProvider> at the root, `useApp(selector)` in
 * screens. A selector that builds a new object or array each time must be wrapped
 * in `useShallow` (zustand/react/shallow), or React re-renders forever.
 */
import { createContext, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { AppState, AppStore } from './store.js'

const StoreContext = createContext<AppStore | null>(null)

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>
}

export function useAppStore(): AppStore {
  const store = useContext(StoreContext)
  if (store === null) throw new Error('useApp outside <StoreProvider>')
  return store
}

export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStore(), selector)
}
