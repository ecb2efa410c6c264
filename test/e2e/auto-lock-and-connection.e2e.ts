/**
 * The lock screen comes back by itself after the idle timeout (the core locks;
 * its event brings the page back), and a page that loses its peer says so,
 * refuses to pretend, and recovers when the peer is back on the same link.
 */
import { RpcClient } from '../fixtures/rpc-client.js'
import { createIdentity, openApp, unlock } from './fixtures/app.js'
import { checkScreen } from './fixtures/checks.js'
import { expect, test } from './fixtures/test.js'

test('after the idle timeout the lock screen comes back, saying why', async ({ page, peers }) => {
  const alice = await peers.start('Alice')
  await openApp(page, alice)
  await createIdentity(page, 'Alice')

  // A 5 s timeout (the shortest settings.set takes), set from outside the page: the page must not touch anything now.
  const rpc = await RpcClient.connect(alice.apiUrl)
  await rpc.call('settings.set', { idleLockMs: 5_000 })
  await rpc.close()
  const started = Date.now()

  await expect(page.getByRole('heading', { level: 1, name: 'Unlock' })).toBeVisible({ timeout: 30_000 })
  expect(Date.now() - started).toBeGreaterThanOrEqual(4_000)
  await expect(page.getByText('Locked because the app was idle', { exact: false })).toBeVisible()
  await checkScreen(page, 'unlock-after-idle')

  await unlock(page)
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
  // The Settings screen shows the timeout the peer now uses.
  await page.getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByLabel('Lock after')).toHaveValue('5000')
  await expect(page.getByLabel('Lock after').locator('option:checked')).toHaveText('5 seconds')
})

test('the page says when its peer is gone, and comes back when the peer does', async ({ page, peers, watch }) => {
  // Chromium logs each failed reconnection attempt; those are expected here.
  watch.allow(/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/api\?token=.*' failed/)
  const bob = await peers.start('Bob')
  await openApp(page, bob)
  await createIdentity(page, 'Bob')

  await bob.stop()
  const banner = page.getByRole('alert').filter({ hasText: 'Connection to your Trust peer lost.' })
  await expect(banner).toBeVisible()
  await expect(banner).toContainText(/Trying again in \d+ s|Reconnecting/)
  await checkScreen(page, 'connection-lost')

  // An action while away fails at once, with a message that says what to do.
  await page.getByRole('button', { name: 'Export backup file' }).click()
  const toast = page.locator('.toast').filter({ hasText: 'The backup was not exported' })
  await expect(toast).toBeVisible()
  await expect(toast).toContainText('not connected to your Trust peer')

  await bob.restart()
  await page.getByRole('button', { name: 'Retry now' }).click()
  await expect(banner).toBeHidden({ timeout: 30_000 })
  // A restarted peer starts locked (DESIGN section 2): the page follows it to the lock screen.
  await expect(page.getByRole('heading', { level: 1, name: 'Unlock' })).toBeVisible()
  await unlock(page)
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()
})
