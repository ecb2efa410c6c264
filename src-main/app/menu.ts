/**
 * The native menu: the app's views, locking, and the standard edit and window
 * roles (so copy, paste and undo work in every field and the platform's
 * shortcuts are there). A template builder with no Electron import at run
 * time, tested as data (test/unit/app-shell.test.ts).
 */
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  /** Shows a view: an app route such as `/settings` (the page's router reads it). */
  navigate(to: string): void
  lock(): void
}

export interface MenuOptions {
  platform: NodeJS.Platform
  /** Developer tools and reload only in an unpackaged build. */
  isDev: boolean
  appName: string
}

/** The views in the View menu, with their shortcuts (Cmd on macOS, Ctrl elsewhere). */
export const MENU_VIEWS: readonly { label: string; route: string; key: string }[] = [
  { label: 'Overview', route: '/', key: '1' },
  { label: 'Contacts', route: '/contacts', key: '2' },
  { label: 'Negotiations', route: '/negotiations', key: '3' },
  { label: 'Receipts', route: '/receipts', key: '4' },
  { label: 'Verify a Bundle', route: '/verify', key: '5' },
  { label: 'Settings', route: '/settings', key: ',' },
]

export function menuTemplate(options: MenuOptions, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const go = (route: string) => () => actions.navigate(route)
  const template: MenuItemConstructorOptions[] = []
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: go('/settings') },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    })
  }
  template.push({
    label: 'File',
    submenu: [
      { label: 'New Negotiation', accelerator: 'CmdOrCtrl+N', click: go('/negotiations/new') },
      { label: 'Join by Invite…', accelerator: 'CmdOrCtrl+J', click: go('/join') },
      { label: 'Verify a Bundle…', click: go('/verify') },
      { type: 'separator' },
      { label: 'Lock', accelerator: 'CmdOrCtrl+L', click: () => actions.lock() },
      ...(mac ? [] : ([{ type: 'separator' }, { role: 'quit' }] as MenuItemConstructorOptions[])),
    ],
  })
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  })
  template.push({
    label: 'View',
    submenu: [
      ...MENU_VIEWS.filter((v) => !(mac && v.route === '/settings')).map(
        (v): MenuItemConstructorOptions => ({ label: v.label, accelerator: `CmdOrCtrl+${v.key}`, click: go(v.route) }),
      ),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(options.isDev ? ([{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
    ],
  })
  template.push({ role: 'windowMenu' })
  template.push({
    role: 'help',
    submenu: [{ role: 'about', label: `About ${options.appName}` }],
  })
  return template
}
