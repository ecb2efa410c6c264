/**
 * Short notices (shell/toaster.tsx shows them with Radix Toast): what just
 * happened, or what went wrong in the background. Errors a person must act on
 * belong on the screen, next to what they concern, not here.
 */
import type { SliceCreator } from './store.js'

export type ToastTone = 'info' | 'success' | 'error'

export interface Toast {
  id: number
  tone: ToastTone
  title: string
  body?: string
}

export interface ToastsSlice {
  toasts: readonly Toast[]
  notify(toast: Omit<Toast, 'id'>): number
  dismissToast(id: number): void
}

/** Older notices are dropped beyond this many. */
const MAX_TOASTS = 4

export const createToastsSlice: SliceCreator<ToastsSlice> = (set, get) => {
  let nextId = 1
  return {
    toasts: [],
    notify(toast) {
      const id = nextId++
      set({ toasts: [...get().toasts, { ...toast, id }].slice(-MAX_TOASTS) })
      return id
    },
    dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
  }
}
