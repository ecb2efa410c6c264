/**
 * A modal dialog on Radix Dialog (focus trap, Escape, aria-modal, focus return).
 * Radix's own Overlay is not used: it injects a <style> element to lock page
 * scrolling, which the page's CSP (style-src 'self') refuses. The shell never
 * scrolls the page itself (only its panes), so a plain backdrop does the job.
 */
import { Dialog as RadixDialog } from 'radix-ui'
import type { ReactNode } from 'react'

export interface DialogProps {
  open: boolean
  onOpenChange(open: boolean): void
  /** The control that opens it (focus returns there on close). */
  trigger: ReactNode
  title: string
  description?: ReactNode
  children: ReactNode
}

export function Dialog({ open, onOpenChange, trigger, title, description, children }: DialogProps) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger>
      <RadixDialog.Portal>
        <div className="dialog__backdrop" aria-hidden="true" />
        <RadixDialog.Content className="dialog" {...(description ? {} : { 'aria-describedby': undefined })}>
          <RadixDialog.Title className="dialog__title">{title}</RadixDialog.Title>
          {description ? <RadixDialog.Description className="dialog__description">{description}</RadixDialog.Description> : null}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  )
}

export const DialogClose = RadixDialog.Close
