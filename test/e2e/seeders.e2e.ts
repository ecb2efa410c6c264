/**
 * Settings, Seeders, against a real `trust seeder` process on the test DHT: an
 * empty list says what a seeder is for; a bad key is refused in the form; the
 * seeder's own printed line adds it and it shows as connected; a negotiation's
 * first message reaches it and the page says everything signed is safe; removed,
 * the page names the negotiation that no seeder keeps any more.
 */
import * as ed from '@noble/ed25519'
import { createIdentity, openApp } from './fixtures/app.js'
import { checkScreen } from './fixtures/checks.js'
import { openView } from './fixtures/contacts.js'
import { createNegotiation, publicKeyOf } from './fixtures/setup-rpc.js'
import { expect, test } from './fixtures/test.js'
import { TrustSeeder } from './fixtures/trust-peer.js'

test('seeders: add one by its key, see it connected and holding what you signed, remove it', async ({ page, peers, dht }) => {
  test.setTimeout(300_000)
  const [erin, seeder] = await Promise.all([peers.start('Erin'), TrustSeeder.start(dht.network)])
  try {
    await openApp(page, erin)
    await createIdentity(page, 'Erin')
    await openView(page, 'Settings')
    await page.getByRole('tab', { name: 'Seeders' }).click()
    const tab = page.getByRole('tabpanel', { name: 'Seeders' })
    await expect(tab.getByRole('heading', { name: 'No seeders yet' })).toBeVisible()
    await expect(tab.getByRole('status')).toHaveText(/^You have not signed anything yet./)
    await checkScreen(page, 'settings-seeders-empty')

    // A key that is not one is refused in the form, before anything is sent.
    await tab.getByLabel('Add a seeder by its key').fill('not a key')
    await tab.getByRole('button', { name: 'Add seeder' }).click()
    await expect(tab.getByRole('alert')).toContainText('A seeder key is 64 characters')

    // The line `trust seeder` printed, pasted whole.
    await tab.getByLabel('Add a seeder by its key').fill(seeder.line)
    await tab.getByRole('button', { name: 'Add seeder' }).click()
    const row = tab.getByRole('list', { name: 'Seeders' }).getByRole('listitem')
    await expect(row).toHaveCount(1)
    await expect(row).toContainText(seeder.key)
    await expect(row).toContainText('Added by you')
    // A peer connects to a seeder only while some negotiation uses it.
    await expect(row.getByText('not connected', { exact: true })).toBeVisible()

    // SETUP: a negotiation (with a counterparty who is not around); its first message is ours.
    const absent = ed.etc.bytesToHex(await ed.getPublicKeyAsync(ed.utils.randomSecretKey()))
    await createNegotiation({ page, publicKey: await publicKeyOf(page) }, [{ page, publicKey: absent }], { title: 'Boat mooring' })
    await expect(row.getByText('connected', { exact: true })).toBeVisible({ timeout: 60_000 }) // by the seeder event alone
    const status = tab.getByRole('status').first()
    // The seeder taking in our feed has no event of its own: "Check again" asks.
    await expect(async () => {
      await tab.getByRole('button', { name: 'Check again' }).click()
      await expect(status).toHaveText(/^Everything you signed has reached a seeder/, { timeout: 2_000 })
    }).toPass({ timeout: 90_000, intervals: [1_000, 2_000, 4_000] })
    const line = tab.getByRole('row').filter({ hasText: 'Boat mooring' })
    await expect(line.getByRole('cell')).toHaveText(['Boat mooring', '1', '1', '1'])
    await expect(row).toContainText('Keeps 1 negotiation.')
    await checkScreen(page, 'settings-seeders')

    // Removed from the list: that negotiation has no seeder any more, and the page says so by name.
    await row.getByRole('button', { name: /^Remove seeder/ }).click()
    await expect(tab.getByRole('heading', { name: 'No seeders yet' })).toBeVisible()
    await expect(tab.getByRole('status').first()).toContainText('Some negotiations have no seeder.')
    await expect(tab.getByRole('status').first()).toContainText('Boat mooring')
    await checkScreen(page, 'settings-seeders-unseeded')
  } finally {
    await seeder.dispose()
  }
})
