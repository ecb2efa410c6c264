/**
 * Who is signed in, at the foot of the navigation, with the actions on the
 * identity (Radix DropdownMenu: arrow keys, typeahead, Escape). Non-modal:
 * Radix's modal menus inject a <style> element the CSP refuses.
 */
import { DropdownMenu } from 'radix-ui'
import type { IdentityStatus } from '../../../src-main/api.js'
import { useApp } from '../state/store-context.js'

export function IdentityMenu({ identity }: { identity: IdentityStatus }) {
  const lock = useApp((s) => s.lockIdentity)
  const navigate = useApp((s) => s.navigate)
  const notify = useApp((s) => s.notify)
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className="identity-menu__trigger" aria-label={`Identity menu, ${identity.name ?? 'unnamed'}`}>
        <span className="identity-menu__avatar" aria-hidden="true">
          {initialOf(identity.name)}
        </span>
        <span className="identity-menu__who">
          <span className="identity-menu__name inert-name">{identity.name}</span>
          <span className="identity-menu__fingerprint">{identity.fingerprint}</span>
        </span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" side="top" align="start" sideOffset={6}>
          <DropdownMenu.Item className="menu__item" onSelect={() => navigate({ view: 'settings' })}>
            Settings
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="menu__separator" />
          <DropdownMenu.Item
            className="menu__item"
            onSelect={() =>
              void lock().then((r) => {
                if (!r.ok) notify({ tone: 'error', title: 'Could not lock', body: r.error.message })
              })
            }
          >
            Lock now
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  )
}

function initialOf(name: string | undefined): string {
  const first = [...(name ?? '?').trim()][0] ?? '?'
  return first.toLocaleUpperCase()
}
