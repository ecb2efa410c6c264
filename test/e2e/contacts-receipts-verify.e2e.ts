/**
 * Two parties in separate `trust serve` processes, each on their own page:
 * they swap contact cards through the UI (copy on one page, paste on the
 * other, compare fingerprints, save; both ways), see each other's trust score
 * move when an agreement binds, see their receipt chain drawn and verified,
 * check the agreement file in the Verify view (valid, with the binding hash
 * both sides hold; then a tampered copy, invalid at the envelope changed), and
 * find the figures in Settings. The agreement itself is arranged through the
 * pages' own API access (fixtures/setup-rpc.ts), marked SETUP below.
 */
import type { Page } from '@playwright/test'
import { createIdentity, openApp } from './fixtures/app.js'
import { checkScreen } from './fixtures/checks.js'
import { addContact, allowClipboard, contactRow, copyMyCard, myFingerprint, openView } from './fixtures/contacts.js'
import { bindAgreement, exportBundleText, publicKeyOf, setupCall } from './fixtures/setup-rpc.js'
import { expect, test } from './fixtures/test.js'
import { dropFile, tamperEnvelope, verifyFile } from './fixtures/verify.js'

test('contacts, trust scores, receipts, the Verify view and diagnostics, between two real peers', async ({ page, peers, browser, watchPage }) => {
  test.setTimeout(480_000)
  const [alice, bob] = await Promise.all([peers.start('Alice'), peers.start('Bob')])
  const alicePage = page
  await allowClipboard(alicePage.context(), alice.origin)
  const bobContext = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  await allowClipboard(bobContext, bob.origin)
  const bobPage = await bobContext.newPage()
  watchPage(bobPage)
  await Promise.all([openApp(alicePage, alice), openApp(bobPage, bob)])
  await createIdentity(alicePage, 'Alice')
  await createIdentity(bobPage, 'Bob')

  // --- Contacts: nobody yet; my card as text and QR.
  await openView(alicePage, 'Contacts')
  await expect(alicePage.getByRole('heading', { name: 'No contacts yet' })).toBeVisible()
  await expect(alicePage.getByRole('img', { name: 'QR code of your contact card' })).toBeVisible()
  await checkScreen(alicePage, 'contacts-empty')

  // A card that is not one is refused before any comparing.
  await openView(bobPage, 'Contacts')
  await bobPage.getByLabel('Their contact card').fill('trust:contact/not-a-card')
  await bobPage.getByRole('button', { name: 'Check card' }).click()
  await expect(bobPage.getByRole('alert')).toContainText('That contact card is not valid.')
  await checkScreen(bobPage, 'contacts-bad-card')

  // Alice's card to Bob, who compares her fingerprint and names her; then Bob's to Alice.
  const aliceCard = await copyMyCard(alicePage)
  const aliceFingerprint = await myFingerprint(alicePage)
  await addContact(bobPage, aliceCard, {
    fingerprint: aliceFingerprint,
    localName: 'Alice (landlord)',
    screenshot: (p: Page) => checkScreen(p, 'contacts-compare'),
  })
  await expect(contactRow(bobPage, 'Alice (landlord)')).toContainText(aliceFingerprint)
  const bobCard = await copyMyCard(bobPage)
  await addContact(alicePage, bobCard, { fingerprint: await myFingerprint(bobPage) })
  const bobRow = contactRow(alicePage, 'Bob')
  await expect(bobRow.getByRole('meter', { name: 'Trust score of Bob' })).toHaveAttribute('aria-valuenow', '0.5')
  await expect(bobRow).toContainText('0.50 neutral')
  await checkScreen(alicePage, 'contacts-list')

  // --- SETUP: an agreement between them, through the pages' own API access.
  const A = { page: alicePage, publicKey: await publicKeyOf(alicePage) }
  const B = { page: bobPage, publicKey: await publicKeyOf(bobPage) }
  const agreed = await bindAgreement(A, B, { title: 'Garden shed' })

  // The BINDING moves both scores (+0.05) on screens already open, with no reload.
  await expect(bobRow).toContainText('0.55')
  await expect(contactRow(bobPage, 'Alice (landlord)')).toContainText('0.55')
  await bobRow.getByRole('button', { name: 'History of Bob' }).click()
  const history = bobRow.locator('.trust-history')
  await expect(history.getByRole('row').nth(1)).toContainText('Completed')
  await expect(history.getByRole('row').nth(1)).toContainText('+0.05')
  await expect(history.getByRole('row').nth(1)).toContainText('Garden shed')
  await history.scrollIntoViewIfNeeded()
  await checkScreen(alicePage, 'contacts-history')

  // --- Receipts: drawn, walked by keyboard, verified, proven.
  await openView(alicePage, 'Receipts')
  const drawing = alicePage.getByRole('group', { name: /^Receipts 0 to \d+, each linked/ })
  await expect(drawing).toBeVisible()
  const shown = await drawing.getByRole('button').count()
  expect(shown).toBeGreaterThan(3)
  await expect(alicePage.locator('.chain__position')).toHaveText(`Receipts 0 to ${shown - 1} of ${shown}`)
  await expect(drawing.locator('.chain__link')).toHaveCount(shown - 1)
  // The checkpoint asked for on this screen seals the whole chain: its flag is on the last receipt.
  await expect(alicePage.locator('.checkpoint-note')).toContainText(`trust-primitive/receipts/${A.publicKey}\n${shown}\n`)
  await expect(drawing.locator('.chain__checkpoint').last()).toContainText(`checkpoint ${shown}`)

  await alicePage.getByRole('button', { name: 'Verify the whole chain' }).click()
  await expect(alicePage.getByRole('status').filter({ hasText: `All ${shown} receipts verified in` })).toBeVisible()
  await drawing.getByRole('button', { name: /^Receipt 0:/ }).focus()
  await alicePage.keyboard.press('ArrowRight')
  await expect(drawing.getByRole('button', { name: /^Receipt 1:/ })).toBeFocused()
  await alicePage.keyboard.press('Enter')
  await expect(alicePage.getByRole('heading', { name: 'Receipt 1', exact: true })).toBeVisible()
  await alicePage.getByRole('button', { name: 'Make an inclusion proof' }).click()
  const proof = alicePage.getByRole('region', { name: 'Inclusion proof' })
  await expect(proof).toContainText(`Receipt 1 is leaf 1 of the checkpoint covering ${shown} receipts`)
  await checkScreen(alicePage, 'receipts')

  // --- Verify: the agreement file, then a tampered copy.
  const text = await exportBundleText(A, agreed.negotiation) // SETUP: the file a party would export
  await openView(bobPage, 'Verify')
  await checkScreen(bobPage, 'verify-empty')
  await verifyFile(bobPage, 'garden-shed.trust.json', text)
  const result = bobPage.getByRole('region', { name: 'Result' })
  await expect(result.getByText('Valid agreement file')).toBeVisible()
  await expect(result.locator('.binding-hash')).toHaveText(agreed.bindingHash)
  await expect(result.getByText('Garden shed', { exact: true })).toBeVisible()
  const parties = result.getByRole('listitem').filter({ hasText: '(unsigned name)' })
  await expect(parties).toHaveCount(2)
  await expect(parties.filter({ hasText: 'Alice' })).toContainText('signed')
  // Bob knows Alice's key: the report says she is his contact, by his name for her.
  await expect(parties.filter({ hasText: 'Alice' })).toContainText('Your contact Alice (landlord)')
  await expect(result).toContainText('Rejected messages (0)')
  await checkScreen(bobPage, 'verify-valid')

  await dropFile(bobPage, 'tampered.trust.json', tamperEnvelope(text, 2))
  await expect(result.getByText('Not a valid agreement file')).toBeVisible()
  await expect(result).toContainText('The first problem found is in message 2 of the file')
  await expect(result).toContainText('BAD_SIGNATURE')
  await expect(result.locator('.binding-hash')).toHaveCount(0)
  await checkScreen(bobPage, 'verify-invalid')

  // A file too large to be an agreement is refused before it is read.
  await verifyFile(bobPage, 'huge.trust.json', 'x'.repeat(16 * 1024 * 1024 + 1))
  await expect(result).toContainText('an agreement file is at most 16 MiB')

  // --- Settings: who is connected in what, the figures, the log, updates.
  await openView(alicePage, 'Settings')
  await alicePage.getByRole('tab', { name: 'Network' }).click()
  const shared = alicePage.getByRole('list', { name: 'Connected counterparties' })
  await expect(shared).toContainText('Bob')
  await expect(shared.getByRole('list', { name: 'Negotiations shared with Bob' })).toContainText('Garden shed')
  await checkScreen(alicePage, 'settings-network-peers')

  await alicePage.getByRole('tab', { name: 'Diagnostics' }).click()
  const figure = (label: string) => alicePage.locator('.figure').filter({ has: alicePage.getByText(label, { exact: true }) }).locator('dd')
  await expect(figure('Agreements made binding')).toHaveText('1')
  await expect(figure('Negotiations started or joined')).toHaveText('1')
  await expect(figure('Counterparties connected')).toHaveText('1')
  await expect(alicePage.locator('.log-path')).toHaveText(/trust\.log$/)
  expect(await alicePage.locator('.log-path').innerText()).toContain(alice.profileDir)
  await checkScreen(alicePage, 'settings-diagnostics')

  await alicePage.getByRole('tab', { name: 'Updates' }).click()
  await expect(alicePage.getByRole('tabpanel', { name: 'Updates' })).toContainText(
    'This copy does not update itself: updates run only in the installed desktop app.',
  )
  await checkScreen(alicePage, 'settings-updates')

  // --- Removing a contact asks first.
  await openView(alicePage, 'Contacts')
  await bobRow.getByRole('button', { name: 'Remove… Bob' }).click()
  const dialog = alicePage.getByRole('dialog', { name: 'Remove this contact?' })
  await expect(dialog).toBeVisible()
  await checkScreen(alicePage, 'contacts-remove-dialog')
  await dialog.getByRole('button', { name: 'Keep' }).click()
  await expect(bobRow).toBeVisible()
  await bobRow.getByRole('button', { name: 'Remove… Bob' }).click()
  await dialog.getByRole('button', { name: 'Remove contact' }).click()
  await expect(alicePage.getByRole('heading', { name: 'No contacts yet' })).toBeVisible()
  // Only the card went: the agreement stands.
  expect(await setupCall(alicePage, 'negotiations.get', { negotiation: agreed.negotiation })).toMatchObject({ status: 'BINDING' })

  await bobContext.close()
})
