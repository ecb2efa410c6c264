/**
 * The shell by keyboard alone (visible focus, skip link, navigation, tabs, the
 * identity menu), and text that did not come from this app rendered as inert
 * text: markup is shown, never parsed; a `javascript:` URL is never a link; a
 * hostile address leads nowhere.
 */
import { createIdentity, openApp, PASSPHRASE } from './fixtures/app.js'
import { checkScreen } from './fixtures/checks.js'
import { expect, test } from './fixtures/test.js'
import type { Page } from '@playwright/test'

/** The focused element's accessible name and whether its focus ring is visible. */
async function focused(page: Page): Promise<{ text: string; ring: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return { text: '', ring: false }
    const style = getComputedStyle(el)
    const ownRing = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    // Inputs show their ring on the field frame around them.
    const frame = el.closest('.field__control')
    const frameRing = frame ? getComputedStyle(frame).outlineStyle !== 'none' : false
    return { text: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(), ring: ownRing || frameRing }
  })
}

test('the shell works from the keyboard, with a visible focus everywhere', async ({ page, peers }) => {
  const carol = await peers.start('Carol')
  await openApp(page, carol)
  // The welcome screen's first action has focus already.
  expect(await focused(page)).toEqual({ text: 'Create a new identity', ring: true })
  await page.keyboard.press('Enter')
  await page.keyboard.type('Carol')
  await page.keyboard.press('Tab')
  await page.keyboard.type(PASSPHRASE)
  await page.keyboard.press('Tab') // the Show toggle
  expect(await focused(page)).toEqual({ text: 'Show passphrase', ring: true })
  await page.keyboard.press('Tab')
  await page.keyboard.type(PASSPHRASE)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()

  // The shell fills the window: the sidebar runs from top to bottom.
  expect((await page.locator('nav.sidebar').boundingBox())?.height).toBe(page.viewportSize()!.height)

  // From the top of the page: the skip link, then the navigation.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.keyboard.press('Tab')
  expect(await focused(page)).toEqual({ text: 'Skip to content', ring: true })
  await expect(page.getByRole('button', { name: 'Skip to content' })).toBeInViewport()
  await page.keyboard.press('Tab')
  expect(await focused(page)).toEqual({ text: 'Overview', ring: true })
  // Down the navigation, every item with a visible ring, to Settings (the last).
  const navItems = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').count()
  for (let i = 1; i < navItems; i++) {
    await page.keyboard.press('Tab')
    expect((await focused(page)).ring).toBe(true)
  }
  expect(await focused(page)).toEqual({ text: 'Settings', ring: true })
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused()
  await expect(page.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page')

  // Tabs: Tab reaches the selected tab, arrows move between tabs.
  await page.keyboard.press('Tab')
  expect(await focused(page)).toEqual({ text: 'Security', ring: true })
  await page.keyboard.press('ArrowRight')
  await expect(page.getByRole('tab', { name: 'Network' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('tabpanel', { name: 'Network' })).toContainText('A private network')
  await checkScreen(page, 'settings-network')

  // Back goes back to the overview.
  await page.goBack()
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()

  // The identity menu: open with Enter, move with arrows, choose with Enter.
  await page.getByRole('button', { name: /^Identity menu/ }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('menu')).toBeVisible()
  await checkScreen(page, 'identity-menu')
  // Opened from the keyboard, the menu focuses its first item; the arrow moves on from there.
  await expect(page.getByRole('menuitem', { name: 'Settings' })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(page.getByRole('menuitem', { name: 'Lock now' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Unlock' })).toBeVisible()
  await expect(page.getByLabel('Passphrase', { exact: true })).toBeFocused()

  // An address that leads nowhere says so and offers the way home.
  await page.keyboard.type(PASSPHRASE)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
  await page.evaluate(() => (location.hash = '#/no/such/view'))
  await expect(page.getByRole('heading', { level: 1, name: 'Nothing here' })).toBeVisible()
  await checkScreen(page, 'not-found')
  await page.getByRole('link', { name: 'Go to the overview' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
})

const HOSTILE_NAME = `<img src=x onerror="document.title='pwned'">`
const JS_NAME = 'javascript:document.title="pwned"'

test('text from outside is inert: markup shows as text and a javascript: URL never becomes a link', async ({ page, peers, browser, watchPage }) => {
  const mallory = await peers.start('Mallory')
  await openApp(page, mallory)
  await createIdentity(page, HOSTILE_NAME)
  const title = await page.title()

  // The name is shown as typed, in every place it appears, and parsed nowhere.
  await expect(page.locator('.facts dd').first()).toHaveText(HOSTILE_NAME)
  await expect(page.locator('.identity-menu__name')).toHaveText(HOSTILE_NAME)
  expect(await page.locator('main img, nav img').count()).toBe(0)
  await page.getByRole('button', { name: /^Identity menu/ }).click()
  await page.getByRole('menuitem', { name: 'Lock now' }).click()
  await expect(page.locator('.auth__lead strong')).toHaveText(HOSTILE_NAME)
  await checkScreen(page, 'inert-name-unlock')

  // A backup file is input from outside too: its name is previewed as text.
  const context2 = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  const page2 = await context2.newPage()
  watchPage(page2)
  const other = await peers.start('Other')
  await openApp(page2, other)
  await page2.getByRole('button', { name: 'Restore from a backup file' }).click()
  const backup = {
    format: 'trust-primitive/identity-backup',
    v: 1,
    publicKey: 'ab'.repeat(32),
    name: JS_NAME,
    key: {},
  }
  await page2.getByLabel('Backup file').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(backup)) })
  await expect(page2.locator('.backup-preview strong')).toHaveText(JS_NAME)
  expect(await page2.locator('a[href^="javascript:"], [href*="javascript:"]').count()).toBe(0)
  await page2.locator('.backup-preview strong').click()
  // The core refuses the forged backup; nothing navigated, nothing ran.
  await page2.getByLabel('Passphrase of the backup', { exact: true }).fill(PASSPHRASE)
  await page2.getByRole('button', { name: 'Restore' }).click()
  await expect(page2.getByRole('alert').filter({ hasText: 'backup' })).toBeVisible()
  expect(new URL(page2.url()).origin).toBe(other.origin)

  // A hostile address: a javascript: invite leads to "cannot be opened", not to a link.
  await page2.evaluate(() => (location.hash = '#/join?invite=javascript:document.title%3D%22pwned%22'))
  await expect(page2.getByRole('heading', { level: 1 })).toHaveText(/Restore from a backup|Nothing here|cannot be opened/)

  expect(await page.title()).toBe(title)
  expect(await page2.title()).not.toBe('pwned')
  expect(await page.evaluate(() => document.title)).not.toBe('pwned')
  await context2.close()
})
