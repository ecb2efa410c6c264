/** The toasts slice on Radix Toast (announced, swipe or Escape to dismiss, F8 to reach them). */
import { Toast } from 'radix-ui'
import { useApp } from '../state/store-context.js'

export function Toaster() {
  const toasts = useApp((s) => s.toasts)
  const dismiss = useApp((s) => s.dismissToast)
  return (
    <Toast.Provider swipeDirection="right" duration={6000}>
      {toasts.map((t) => (
        <Toast.Root
          key={t.id}
          className={`toast toast--${t.tone}`}
          type={t.tone === 'error' ? 'foreground' : 'background'}
          duration={t.tone === 'error' ? 12_000 : 6000}
          onOpenChange={(open) => {
            if (!open) dismiss(t.id)
          }}
        >
          <Toast.Title className="toast__title">{t.title}</Toast.Title>
          {t.body ? <Toast.Description className="toast__body">{t.body}</Toast.Description> : null}
          <Toast.Close className="toast__close" aria-label="Dismiss">
            ×
          </Toast.Close>
        </Toast.Root>
      ))}
      <Toast.Viewport className="toast-viewport" label="Notifications ({hotkey})" />
    </Toast.Provider>
  )
}
