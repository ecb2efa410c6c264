/**
 * The desktop shell's refusals and routing, without Electron (it cannot run
 * here): each decision is a plain function that src-main/app wires into
 * Electron, so these tests call exactly what Electron would call.
 * Bad payloads are covered by app-ipc-dispatch.test.ts.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answerAppRequest, APP_PAGE_URL, appFileFor } from '../../src-main/app/app-protocol.js'
import {
  navigationGuard,
  permissionCheckGuard,
  permissionRequestGuard,
  webviewGuard,
  windowOpenGuard,
} from '../../src-main/app/harden.js'
import { menuTemplate, MENU_VIEWS } from '../../src-main/app/menu.js'
import { isTrustedSender } from '../../src-main/app/sender-check.js'
import { asTrustLink, PendingLinks, trustLinkFromArgv } from '../../src-main/app/trust-links.js'
import { createTrustBridge, EVENT_CHANNEL, EVENT_TYPES, type IpcRendererLike } from '../../src-preload/bridge.js'
import { TRUST_EVENT_TYPES } from '../../src-renderer/src/client/trust-client.js'
import { resolveStaticRoot } from '../../src-main/web/static-files.js'
import type { MenuItemConstructorOptions } from 'electron'

const INVITE = `trust:join/${'A'.repeat(130)}`
const CARD = 'trust:contact/eyJ2IjoxfQ'

function cancellable(url: string): { preventDefault(): void; url: string; prevented: boolean } {
  const e = {
    url,
    prevented: false,
    preventDefault() {
      e.prevented = true
    },
  }
  return e
}

describe('IPC sender: only the top frame of the app page', () => {
  it('answers the app page at any route', () => {
    expect(isTrustedSender({ url: APP_PAGE_URL, parent: null }, APP_PAGE_URL)).toBe(true)
    expect(isTrustedSender({ url: `${APP_PAGE_URL}#/negotiations`, parent: null }, APP_PAGE_URL)).toBe(true)
  })

  it.each([
    ['an iframe of the app page', { url: APP_PAGE_URL, parent: {} }],
    ['a foreign origin', { url: 'https://evil.example/index.html', parent: null }],
    ['another app:// host', { url: 'app://evil/index.html', parent: null }],
    ['another file of the app', { url: 'app://trust/assets/evil.html', parent: null }],
    ['a file:// page', { url: 'file:///home/alice/index.html', parent: null }],
    ['a data: page', { url: 'data:text/html,<script>1</script>', parent: null }],
    ['no frame', null],
  ])('refuses %s', (_label, frame) => {
    expect(isTrustedSender(frame as never, APP_PAGE_URL)).toBe(false)
  })
})

describe('navigation, new windows, webviews and permissions are refused', () => {
  it.each(['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://trust/other.html', 'about:blank'])(
    'will-navigate to %s is cancelled and opens nothing',
    (url) => {
      const opened: string[] = []
      const event = cancellable(url)
      navigationGuard((l) => opened.push(l))(event)
      expect(event.prevented).toBe(true)
      expect(opened).toEqual([])
    },
  )

  it('a trust: link the page navigates to is cancelled and opened in place instead', () => {
    const opened: string[] = []
    const event = cancellable(INVITE)
    navigationGuard((l) => opened.push(l))(event)
    expect(event.prevented).toBe(true)
    expect(opened).toEqual([INVITE])
  })

  it.each(['https://evil.example/', 'javascript:alert(1)', 'app://trust/index.html', ''])('window.open(%j) is denied', (url) => {
    const opened: string[] = []
    expect(windowOpenGuard((l) => opened.push(l))({ url })).toEqual({ action: 'deny' })
    expect(opened).toEqual([])
  })

  it('window.open of a trust: link is denied as a window and opened in place', () => {
    const opened: string[] = []
    expect(windowOpenGuard((l) => opened.push(l))({ url: CARD })).toEqual({ action: 'deny' })
    expect(opened).toEqual([CARD])
  })

  it('a webview is never attached', () => {
    const event = cancellable('')
    webviewGuard(event)
    expect(event.prevented).toBe(true)
  })

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'openExternal', 'hid', 'usb', 'serial'])(
    'the %s permission is refused',
    (permission) => {
      const answers: boolean[] = []
      permissionRequestGuard({}, permission, (granted) => answers.push(granted))
      expect(answers).toEqual([false])
      expect(permissionCheckGuard()).toBe(false)
    },
  )
})

describe('the app:// protocol serves the built page and nothing else', () => {
  let dir: string
  let root: string
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-app-protocol-'))
    fs.mkdirSync(path.join(dir, 'renderer', 'assets'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>')
    fs.writeFileSync(path.join(dir, 'renderer', 'assets', 'app.js'), 'void 0')
    fs.writeFileSync(path.join(dir, 'renderer', '.env'), 'SECRET=1')
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret')
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'renderer', 'link.txt'))
    root = resolveStaticRoot(path.join(dir, 'renderer'))
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('serves the page with its CSP, and its assets', () => {
    const page = answerAppRequest(root, 'GET', `${APP_PAGE_URL}#/settings`)
    expect(page.status).toBe(200)
    expect(page.headers['Content-Type']).toBe('text/html; charset=utf-8')
    expect(page.headers['Content-Security-Policy']).toContain("script-src 'self'")
    expect(page.headers['X-Content-Type-Options']).toBe('nosniff')
    expect(page.body?.toString()).toContain('<title>t</title>')
    expect(answerAppRequest(root, 'GET', 'app://trust/').status).toBe(200)
    expect(answerAppRequest(root, 'GET', 'app://trust/assets/app.js').headers['Content-Type']).toBe('text/javascript; charset=utf-8')
  })

  it.each([
    ['a parent path', 'app://trust/../secret.txt'],
    ['an encoded parent path', 'app://trust/%2e%2e/secret.txt'],
    ['an encoded slash', 'app://trust/assets%2f..%2f..%2fsecret.txt'],
    ['a dot-file', 'app://trust/.env'],
    ['a symlink out of the root', 'app://trust/link.txt'],
    ['another host', 'app://evil/index.html'],
    ['credentials', 'app://user:pw@trust/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_label, url) => {
    expect(appFileFor(root, url)).toBeNull()
    expect(answerAppRequest(root, 'GET', url).status).toBe(404)
  })

  it('answers only GET and HEAD', () => {
    expect(answerAppRequest(root, 'POST', APP_PAGE_URL).status).toBe(405)
    expect(answerAppRequest(root, 'HEAD', APP_PAGE_URL)).toMatchObject({ status: 200, body: null })
  })
})

describe('trust: links reaching the app', () => {
  it('picks the link out of a command line, last one first', () => {
    expect(trustLinkFromArgv(['/opt/Trust Primitive/trust-primitive', '--no-sandbox', INVITE])).toBe(INVITE)
    expect(trustLinkFromArgv(['app', CARD, INVITE])).toBe(INVITE)
    expect(trustLinkFromArgv(['app', '--flag'])).toBeNull()
    expect(trustLinkFromArgv(['app', 'trust://join/AAAA'])).toBe('trust://join/AAAA')
  })

  it.each([
    ['another scheme', 'https://example.com/join/abc'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['another kind', 'trust:admin/abc'],
    ['markup', 'trust:join/<img src=x>'],
    ['an oversized link', `trust:join/${'A'.repeat(5000)}`],
    ['not a string', 42],
  ])('ignores %s', (_label, value) => {
    expect(asTrustLink(value)).toBeNull()
  })

  it('holds links until the page is loaded, then delivers them in order; holds again while it reloads', () => {
    const links = new PendingLinks()
    const got: string[] = []
    links.push(INVITE)
    links.push(CARD)
    expect(got).toEqual([])
    links.flush((l) => got.push(l))
    expect(got).toEqual([INVITE, CARD])
    links.push('trust:join/B')
    expect(got).toHaveLength(3)
    links.pause()
    links.push('trust:join/C')
    expect(got).toHaveLength(3)
    links.flush((l) => got.push(l))
    expect(got.at(-1)).toBe('trust:join/C')
    links.pause()
    for (let i = 0; i < 100; i++) links.push(`trust:join/X${i}`)
    const later: string[] = []
    links.flush((l) => later.push(l))
    expect(later.length).toBeLessThanOrEqual(16) // a flood while away is bounded
  })
})

describe('the native menu', () => {
  const flatten = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])])

  function build(platform: NodeJS.Platform, isDev: boolean) {
    const calls: string[] = []
    const template = menuTemplate({ platform, isDev, appName: 'Trust Primitive' }, { navigate: (to) => calls.push(to), lock: () => calls.push('lock') })
    return { template, calls, items: flatten(template) }
  }

  it('every view is one click (and one shortcut) away, and Lock locks', () => {
    const { items, calls } = build('linux', false)
    for (const view of MENU_VIEWS) {
      const item = items.find((i) => i.label === view.label && i.click)
      expect(item, view.label).toBeDefined()
      expect(item!.accelerator).toMatch(/^CmdOrCtrl\+/)
      item!.click!({} as never, undefined as never, {} as never)
      expect(calls.at(-1)).toBe(view.route)
    }
    items.find((i) => i.label === 'Lock')!.click!({} as never, undefined as never, {} as never)
    expect(calls.at(-1)).toBe('lock')
    const accelerators = items.map((i) => i.accelerator).filter(Boolean)
    expect(new Set(accelerators).size).toBe(accelerators.length)
  })

  it('has the edit roles, and developer tools only in development', () => {
    const prod = build('win32', false).items
    expect(prod.map((i) => i.role)).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo', 'quit']))
    expect(prod.some((i) => i.role === 'toggleDevTools' || i.role === 'reload')).toBe(false)
    expect(build('linux', true).items.some((i) => i.role === 'toggleDevTools')).toBe(true)
  })

  it('on macOS starts with the app menu holding Settings and Quit', () => {
    const { template, items } = build('darwin', false)
    expect(template[0]!.label).toBe('Trust Primitive')
    expect(flatten([template[0]!]).map((i) => i.role ?? i.label)).toEqual(expect.arrayContaining(['about', 'Settings…', 'quit']))
    expect(items.filter((i) => i.label === 'Settings' || i.label === 'Settings…')).toHaveLength(1)
  })
})

describe('the preload bridge exposes exactly the TrustApi', () => {
  class RecordingIpc implements IpcRendererLike {
    readonly invoked: unknown[][] = []
    readonly listeners = new Set<(event: unknown, payload: unknown) => void>()
    answer: Promise<unknown> = Promise.resolve({ ok: true, value: null })
    invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      this.invoked.push([channel, ...args])
      return this.answer
    }
    on(_channel: string, listener: (event: unknown, payload: unknown) => void): void {
      this.listeners.add(listener)
    }
    removeListener(_channel: string, listener: (event: unknown, payload: unknown) => void): void {
      this.listeners.delete(listener)
    }
    emit(payload: unknown): void {
      for (const l of this.listeners) l({ sender: 'the IpcRendererEvent' }, payload)
    }
  }

  it('is {call, on} and nothing else, frozen', () => {
    const bridge = createTrustBridge(new RecordingIpc())
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on'])
    expect(Object.isFrozen(bridge)).toBe(true)
  })

  it('forwards calls on one channel with {} for absent params; a refused name or a dead main becomes an ApiResult', async () => {
    const ipc = new RecordingIpc()
    const bridge = createTrustBridge(ipc)
    await bridge.call('identity.status')
    await bridge.call('identity.unlock', { passphrase: 'x' })
    expect(ipc.invoked).toEqual([
      ['trust:call', 'identity.status', {}],
      ['trust:call', 'identity.unlock', { passphrase: 'x' }],
    ])
    expect(await (bridge.call as (m: unknown) => Promise<unknown>)(42)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    ipc.answer = Promise.reject(new Error('main is gone'))
    expect(await bridge.call('identity.status')).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'INTERNAL: the app did not answer' } })
  })

  it('delivers only events of the subscribed type, never the IPC event object, and unsubscribes', () => {
    const ipc = new RecordingIpc()
    const bridge = createTrustBridge(ipc)
    const got: unknown[][] = []
    const off = bridge.on('identity', (...args: unknown[]) => got.push(args))
    ipc.emit({ type: 'identity', unlocked: false })
    ipc.emit({ type: 'negotiation', negotiation: 'x' })
    ipc.emit('not an event')
    ipc.emit(null)
    expect(got).toEqual([[{ type: 'identity', unlocked: false }]])
    off()
    expect(ipc.listeners.size).toBe(0)
    ipc.emit({ type: 'identity', unlocked: true })
    expect(got).toHaveLength(1)
    expect(EVENT_CHANNEL).toBe('trust:event')
  })

  it('subscribes to every event type the core sends, as the browser client does (seeder and demo included)', () => {
    expect([...EVENT_TYPES].sort()).toEqual([...TRUST_EVENT_TYPES].sort())
    const ipc = new RecordingIpc()
    const got: unknown[] = []
    createTrustBridge(ipc).on('seeder', (event) => got.push(event))
    ipc.emit({ type: 'seeder', publicKey: 'a'.repeat(64), connected: true })
    expect(got).toEqual([{ type: 'seeder', publicKey: 'a'.repeat(64), connected: true }])
  })

  it.each([['an unknown type', 'steal', () => {}], ['a non-function listener', 'identity', 'not a function']])(
    'refuses %s',
    (_label, type, listener) => {
      expect(() => createTrustBridge(new RecordingIpc()).on(type as never, listener as never)).toThrow(TypeError)
    },
  )
})
