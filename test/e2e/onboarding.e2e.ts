/**
 * Onboarding and the lock screen in browser mode (issue 10, item 2, first
 * bullet): create an identity with the strength meter and progress, lock,
 * a wrong passphrase said plainly, unlock; export a backup and restore it in a
 * fresh profile. Every screen is checked with axe and photographed.
 */
import fs from 'node:fs'
import { createIdentity, lockFromMenu, openApp, PASSPHRASE, unlock } from './fixtures/app.js'
import { checkScreen } from './fixtures/checks.js'
import { expect, test } from './fixtures/test.js'

test('create an identity, lock, refuse a wrong passphrase, unlock', async ({ page, peers, watch }) => {
  const alice = await peers.start('Alice')
  await openApp(page, alice)
  // The token left the address bar at once.
  expect(page.url()).not.toContain('token=')
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible()
  await checkScreen(page, 'welcome')

  await page.getByRole('button', { name: 'Create a new identity' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Create your identity' })).toBeVisible()
  await checkScreen(page, 'create-identity')

  // Inline validation: an empty name and a guessable passphrase are refused before anything is sent.
  await page.getByLabel('Passphrase', { exact: true }).fill('password1')
  await page.getByRole('button', { name: 'Create identity' }).click()
  await expect(page.getByText('Enter the name your counterparties will see.')).toBeVisible()
  await page.getByLabel('Your name').fill('Alice')
  await page.getByRole('button', { name: 'Create identity' }).click()
  await expect(page.getByText(/too easy to guess/)).toBeVisible()
  await expect(page.getByRole('meter', { name: 'Passphrase strength' })).toHaveAttribute('aria-valuetext', /Very weak|Weak/)
  await checkScreen(page, 'create-identity-errors')

  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE)
  await expect(page.getByRole('meter', { name: 'Passphrase strength' })).toHaveAttribute('aria-valuetext', /Strong|Very strong/)
  await page.getByLabel('Passphrase again', { exact: true }).fill(`${PASSPHRASE}!`)
  await page.getByRole('button', { name: 'Create identity' }).click()
  await expect(page.getByText('The two passphrases differ. Type the same one twice.')).toBeVisible()
  await page.getByLabel('Passphrase again', { exact: true }).fill(PASSPHRASE)
  await page.getByRole('button', { name: 'Create identity' }).click()
  // scrypt runs in the peer: the page shows progress and stays responsive.
  await expect(page.getByRole('progressbar', { name: 'Creating your key…' })).toBeVisible()
  expect(await page.evaluate(() => 1 + 1)).toBe(2)

  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
  await checkScreen(page, 'overview')

  await lockFromMenu(page)
  await expect(page.getByText('Alice', { exact: true })).toBeVisible()
  await checkScreen(page, 'unlock')

  await unlock(page, 'not my passphrase at all')
  await expect(page.getByText('That passphrase is not right.', { exact: false })).toBeVisible()
  await expect(page.getByLabel('Passphrase', { exact: true })).toBeFocused()
  await expect(page.getByLabel('Passphrase', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await checkScreen(page, 'unlock-wrong-passphrase')

  await unlock(page)
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
  watch.expectClean()
})

test('export a backup, then restore it in a new profile', async ({ page, peers, browser, watchPage }) => {
  const alice = await peers.start('Alice')
  await openApp(page, alice)
  await createIdentity(page, 'Alice')
  const fingerprint = (await page.locator('.fingerprint--large').textContent())!.trim()

  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible()
  await checkScreen(page, 'settings-security')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export backup file' }).click()])
  expect(download.suggestedFilename()).toBe('trust-backup-alice.json')
  const backupPath = test.info().outputPath('backup.json')
  await download.saveAs(backupPath)
  expect(JSON.parse(fs.readFileSync(backupPath, 'utf8'))).toMatchObject({ format: 'trust-primitive/identity-backup', name: 'Alice' })

  const fresh = await peers.start('Restored')
  const context2 = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  const page2 = await context2.newPage()
  watchPage(page2)
  await openApp(page2, fresh)
  await page2.getByRole('button', { name: 'Restore from a backup file' }).click()
  await expect(page2.getByRole('heading', { level: 1, name: 'Restore from a backup' })).toBeVisible()
  await page2.getByLabel('Backup file').setInputFiles(backupPath)
  await expect(page2.getByText('Backup of')).toContainText('Alice')
  await expect(page2.getByText(fingerprint)).toBeVisible()
  await page2.getByLabel('Passphrase of the backup', { exact: true }).fill('wrong passphrase here')
  await page2.getByRole('button', { name: 'Restore' }).click()
  await expect(page2.getByText('That passphrase does not open this backup.', { exact: false })).toBeVisible()
  await checkScreen(page2, 'restore-wrong-passphrase')

  await page2.getByLabel('Passphrase of the backup', { exact: true }).fill(PASSPHRASE)
  await page2.getByRole('button', { name: 'Restore' }).click()
  await expect(page2.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
  await expect(page2.locator('.fingerprint--large')).toHaveText(fingerprint)
  await context2.close()
})

test('a file that is not a backup is refused before any passphrase is asked', async ({ page, peers }) => {
  const bob = await peers.start('Bob')
  await openApp(page, bob)
  await page.getByRole('button', { name: 'Restore from a backup file' }).click()
  await page.getByLabel('Backup file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":"world"}') })
  await expect(page.getByText('This file is not a Trust Primitive backup.')).toBeVisible()
  await page.getByRole('button', { name: 'Restore' }).click()
  await expect(page.getByLabel('Backup file')).toBeFocused()
})

test('change the passphrase in a dialog: the old one is checked, the new one unlocks', async ({ page, peers }) => {
  const dave = await peers.start('Dave')
  await openApp(page, dave)
  await createIdentity(page, 'Dave')
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.getByRole('button', { name: 'Change passphrase…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Change passphrase' })
  await expect(dialog).toBeVisible()
  await expect(dialog.getByLabel('Current passphrase', { exact: true })).toBeFocused()
  await checkScreen(page, 'change-passphrase-dialog')

  const next = 'violet lantern orbit meadow'
  await dialog.getByLabel('Current passphrase', { exact: true }).fill('not the current one')
  await dialog.getByLabel('New passphrase', { exact: true }).fill(next)
  await dialog.getByLabel('New passphrase again', { exact: true }).fill(next)
  await dialog.getByRole('button', { name: 'Change passphrase' }).click()
  await expect(dialog.getByText('That is not your current passphrase.')).toBeVisible()

  // Escape closes the dialog and gives focus back to the button that opened it.
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('button', { name: 'Change passphrase…' })).toBeFocused()

  await page.getByRole('button', { name: 'Change passphrase…' }).click()
  await dialog.getByLabel('Current passphrase', { exact: true }).fill(PASSPHRASE)
  await dialog.getByLabel('New passphrase', { exact: true }).fill(next)
  await dialog.getByLabel('New passphrase again', { exact: true }).fill(next)
  await dialog.getByRole('button', { name: 'Change passphrase' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.locator('.toast').filter({ hasText: 'Passphrase changed' })).toBeVisible()

  await page.getByRole('button', { name: 'Lock now' }).click()
  await unlock(page, PASSPHRASE)
  await expect(page.getByText('That passphrase is not right.', { exact: false })).toBeVisible()
  await unlock(page, next)
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible()
})
