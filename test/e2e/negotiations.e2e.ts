/**
 * The negotiation screens end to end: two `trust serve` peers on a local DHT,
 * two pages, the whole flow through the UI only: identities created, contact
 * cards swapped on the Contacts view (copy, paste, compare fingerprints),
 * create with three clauses, invite, join, offer and counter-offer, Bob's peer
 * restarted mid-way (his page reconnects, unlocks and carries on), lock a
 * clause, accept, finalize, BINDING on both pages with one binding hash, the
 * exported bundle checked in Bob's Verify view, dispute and the appeal
 * countdown on both sides. axe and screenshots (light and dark) on every
 * screen; parts by keyboard alone. And counterparty text that tries to be
 * markup or a link stays text.
 */
import fs from 'node:fs'
import type { Browser, Page } from '@playwright/test'
import { RpcClient } from '../fixtures/rpc-client.js'
import { createIdentity, openApp, unlock } from './fixtures/app.js'
import { checkScreen } from './fixtures/checks.js'
import { addContact, allowClipboard, copyMyCard, myFingerprint, openView } from './fixtures/contacts.js'
import {
  bindingHashOf,
  createNegotiation,
  exchangeContactsBySetup,
  expectStatus,
  fillNewNegotiation,
  gotoNegotiations,
  joinByInvite,
  openNegotiation,
  signFrom,
  termsHashOf,
} from './fixtures/negotiations.js'
import { expect, test } from './fixtures/test.js'
import type { PageWatch } from './fixtures/page-watch.js'
import { verifyFile } from './fixtures/verify.js'

const TITLE = 'Fence repair between 12 and 14 Elm St'
const CLAUSES = [
  { title: 'Scope of work', text: 'Replace the six damaged fence panels along the shared boundary.' },
  { title: 'Price', text: 'Alice pays 600 EUR; Bob pays 600 EUR.' },
  { title: 'Completion date', text: 'Work is finished by 30 June.' },
]

async function secondPage(browser: Browser, watchPage: (p: Page) => PageWatch, clipboardOrigin?: string): Promise<{ page: Page; watch: PageWatch }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  if (clipboardOrigin) await allowClipboard(context, clipboardOrigin)
  const page = await context.newPage()
  return { page, watch: watchPage(page) }
}

test('two parties negotiate to a binding agreement and dispute it, through the UI', async ({ page, peers, browser, watchPage }) => {
  test.setTimeout(420_000)
  const [alice, bob] = await Promise.all([peers.start('Alice'), peers.start('Bob')])
  await allowClipboard(page.context(), alice.origin)
  const { page: bobPage, watch: bobWatch } = await secondPage(browser, watchPage, bob.origin)
  // Bob's page logs its failed reconnection attempts while his peer restarts.
  bobWatch.allow(/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/api\?token=.*' failed/)
  await openApp(page, alice)
  await createIdentity(page, 'Alice')
  await openApp(bobPage, bob)
  await createIdentity(bobPage, 'Bob')

  // Cards swapped on the Contacts view, each fingerprint compared before saving.
  await addContact(bobPage, await copyMyCard(page), { fingerprint: await myFingerprint(page) })
  await addContact(page, await copyMyCard(bobPage), { fingerprint: await myFingerprint(bobPage) })

  // The empty list says what to do.
  await gotoNegotiations(page)
  await expect(page.getByRole('region', { name: 'No negotiations yet' })).toBeVisible()
  await checkScreen(page, 'negotiations-empty')

  // New negotiation: inline validation first, then three clauses.
  await page.getByRole('link', { name: 'New negotiation' }).first().click()
  await page.getByRole('button', { name: 'Sign and create' }).click()
  await expect(page.getByText('Give the negotiation a title')).toBeVisible()
  await expect(page.getByText('Pick at least one counterparty')).toBeVisible()
  await fillNewNegotiation(page, { title: TITLE, counterparties: ['Bob'], clauses: CLAUSES, requiredConsensus: 1 })
  await expect(page.getByText('With 2 parties, all 2 must agree.')).toBeVisible()
  await page.getByLabel('Parties who must agree').fill('')
  await expect(page.getByLabel('Clause 2 id')).toHaveValue('price')
  // Reorder and back: the editor moves clauses.
  await page.getByRole('button', { name: 'Move clause 3 up' }).click()
  await expect(page.getByLabel('Clause 2 title')).toHaveValue('Completion date')
  await page.getByRole('button', { name: 'Move clause 2 down' }).click()
  await expect(page.getByLabel('Clause 3 title')).toHaveValue('Completion date')
  await checkScreen(page, 'new-negotiation')
  await page.getByRole('button', { name: 'Sign and create' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Invite the other parties' })).toBeVisible()
  await expect(page.getByRole('img', { name: 'The invite as a QR code' })).toBeVisible()
  const invite = await page.getByLabel('Invite link').inputValue()
  // A version 2 invite (DESIGN section 5): 98 + 32 bytes per seeder named (0 to 8), in base64url.
  expect(invite).toMatch(/^trust:join\/[A-Za-z0-9_-]{131,472}$/)
  await checkScreen(page, 'negotiation-invite')
  await page.getByRole('link', { name: 'Open the negotiation' }).click()
  await expectStatus(page, 'Waiting to start')
  await expect(page.getByText('Waiting for Bob to join.')).toBeVisible()
  await checkScreen(page, 'negotiation-initiated')

  // Bob joins from a trust:join link (the route the desktop shell and links use).
  await bobPage.evaluate((link) => (location.hash = `#/join?invite=${encodeURIComponent(link)}`), invite)
  await expect(bobPage.getByRole('heading', { level: 1, name: 'Join by invite' })).toBeVisible()
  await expect(bobPage.getByLabel('Invite link')).toHaveValue(invite)
  await checkScreen(bobPage, 'join')
  await bobPage.getByRole('button', { name: 'Join negotiation' }).click()
  await expect(bobPage.getByRole('heading', { level: 1, name: TITLE })).toBeVisible({ timeout: 60_000 })
  await expectStatus(bobPage, 'Negotiating')
  await expectStatus(page, 'Negotiating')

  // Bob counter-offers the price; Alice sees the diff in her timeline.
  const before = await termsHashOf(bobPage)
  await signFrom(bobPage, 'Counter-offer', {
    hash: before,
    fill: async (dialog) => {
      await dialog.getByLabel('Text of price').fill('Alice pays 700 EUR; Bob pays 500 EUR.')
      await dialog.getByLabel('Note to the other parties (optional)').fill('My side has the larger garden.')
      await expect(dialog.locator('.diff__ins')).toContainText(['700'])
      await checkScreen(bobPage, 'negotiation-offer-editor')
    },
  })
  const timeline = page.getByRole('region', { name: 'Signed timeline, scrollable' })
  await expect(timeline.getByText('My side has the larger garden.')).toBeVisible({ timeout: 30_000 })
  await expect(timeline.locator('.diff__del').filter({ hasText: '600' }).first()).toBeVisible()
  await expect(timeline.locator('.diff__ins').filter({ hasText: '700' }).first()).toBeVisible()

  // Alice counter-offers the date.
  await signFrom(page, 'Counter-offer', {
    fill: async (dialog) => {
      await dialog.getByLabel('Text of completion-date').fill('Work is finished by 15 July.')
    },
  })
  await expect(bobPage.locator('.clause').filter({ hasText: '15 July' })).toBeVisible({ timeout: 30_000 })

  // Bob's peer restarts mid-way: his page says so, reconnects, follows it to the
  // lock screen, and after unlocking shows the negotiation as it was, from his own disk.
  await bob.stop()
  await expect(bobPage.getByRole('alert').filter({ hasText: 'Connection to your Trust peer lost.' })).toBeVisible()
  await bob.restart()
  await expect(bobPage.getByRole('heading', { level: 1, name: 'Unlock' })).toBeVisible({ timeout: 30_000 })
  await unlock(bobPage)
  await openNegotiation(bobPage, TITLE)
  await expectStatus(bobPage, 'Negotiating')
  await expect(bobPage.locator('.clause').filter({ hasText: '15 July' })).toBeVisible()
  await expect(bobPage.locator('.clause').filter({ hasText: '700 EUR' })).toBeVisible()

  // Both lock the scope clause (k = 2): locked, with who locked it.
  await signFrom(page, page.getByRole('button', { name: 'Lock “Scope of work”' }))
  await expect(bobPage.locator('.clause').filter({ hasText: 'Scope of work' }).getByText('1 of 2 locks')).toBeVisible({ timeout: 30_000 })
  await signFrom(bobPage, bobPage.getByRole('button', { name: 'Lock “Scope of work”' }))
  for (const p of [page, bobPage]) await expect(p.locator('.clause--locked').filter({ hasText: 'Scope of work' })).toBeVisible({ timeout: 30_000 })

  // Accept by keyboard on Alice's page: the dialog shows the exact terms hash.
  const terms = await termsHashOf(page)
  await expect.poll(() => termsHashOf(bobPage), { timeout: 30_000 }).toBe(terms)
  await page.getByRole('button', { name: 'Accept terms' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('dialog')).toBeVisible()
  await expect(page.getByRole('dialog').locator('.signing__hash')).toHaveText(terms)
  await checkScreen(page, 'negotiation-sign-accept')
  await page.getByRole('dialog').getByRole('button', { name: 'Sign and send' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('dialog')).toBeHidden({ timeout: 30_000 })
  await signFrom(bobPage, 'Accept terms', { hash: terms })
  for (const p of [page, bobPage]) await expectStatus(p, 'Consensus reached')

  // Finalize on both: BINDING with the same binding hash on both pages.
  await signFrom(page, 'Finalize', { hash: terms })
  await signFrom(bobPage, 'Finalize', { hash: terms })
  for (const p of [page, bobPage]) await expectStatus(p, 'Binding')
  const aliceBinding = await bindingHashOf(page)
  expect(await bindingHashOf(bobPage)).toBe(aliceBinding)
  // Every clause is now part of what was signed; none reads "Open".
  await expect(page.locator('.clause').filter({ hasText: 'Price' }).locator('.badge')).toHaveText('Signed')
  await checkScreen(page, 'negotiation-binding')

  // The bundle and the certificate download; the bundle verifies offline to the same binding hash.
  const [bundleDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export bundle' }).click()])
  expect(bundleDownload.suggestedFilename()).toMatch(/^[0-9a-f]{16}\.trust\.json$/)
  const bundleText = fs.readFileSync(await bundleDownload.path(), 'utf8')
  // Bob checks Alice's file in his Verify view: valid, binding, the hash both pages show.
  await openView(bobPage, 'Verify')
  await verifyFile(bobPage, bundleDownload.suggestedFilename(), bundleText)
  const verdict = bobPage.getByRole('region', { name: 'Result' })
  await expect(verdict.getByText('Valid agreement file')).toBeVisible()
  await expect(verdict.locator('.binding-hash')).toHaveText(aliceBinding)
  await expect(verdict.getByText(TITLE, { exact: true })).toBeVisible()
  await checkScreen(bobPage, 'negotiation-bundle-verified')
  await bobPage.goBack()
  await expectStatus(bobPage, 'Binding')
  const [certificateDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save certificate' }).click()])
  expect(certificateDownload.suggestedFilename()).toMatch(/^[0-9a-f]{16}\.certificate\.html$/)
  expect(fs.readFileSync(await certificateDownload.path(), 'utf8')).toContain(aliceBinding)

  // The signed envelope of a message: verified, the exact JCS text.
  await page.getByRole('button', { name: /^Signed envelope of Finalized the terms/ }).first().click()
  await expect(page.getByRole('dialog').getByText('Signature verified just now')).toBeVisible()
  await checkScreen(page, 'negotiation-envelope')
  await page.keyboard.press('Escape')

  // Bob disputes; both sides see the dispute and the appeal countdown.
  await signFrom(bobPage, 'Dispute', {
    fill: async (dialog) => {
      await dialog.getByLabel('Reason').fill('The panels were not replaced by 15 July.')
      await dialog.getByLabel('Evidence (optional)').fill('Photos of 16 July.')
    },
  })
  for (const p of [page, bobPage]) {
    await expectStatus(p, 'Disputed')
    await expect(p.getByTestId('appeal-countdown')).toHaveText(/\((6 days|7 days|1 day \d+ hours?) left\)/, { timeout: 30_000 })
    await expect(p.getByText('The panels were not replaced by 15 July.').first()).toBeVisible()
  }
  await checkScreen(bobPage, 'negotiation-disputed')

  // The list: status, whom it waits on, search and filter.
  await gotoNegotiations(page)
  const row = page.locator('.nrow').filter({ hasText: TITLE })
  await expect(row.locator('.badge')).toHaveText('Disputed')
  await page.getByLabel('Search titles').fill('no such title')
  await expect(page.getByRole('region', { name: 'Nothing matches' })).toBeVisible()
  await page.getByRole('button', { name: 'Show all negotiations' }).click()
  await page.getByLabel('Status').selectOption('DISPUTED')
  await expect(row).toBeVisible()
  await checkScreen(page, 'negotiations-list')
  await openNegotiation(page, TITLE)
  await expectStatus(page, 'Disputed')
})

test('joining: a bad invite and an invite that does not name you say so plainly', async ({ page, peers, browser, watchPage }) => {
  test.setTimeout(240_000)
  const [alice, bob, carol] = await Promise.all([peers.start('Alice'), peers.start('Bob'), peers.start('Carol')])
  const { page: carolPage } = await secondPage(browser, watchPage)
  await openApp(page, alice)
  await createIdentity(page, 'Alice')
  await openApp(carolPage, carol)
  await createIdentity(carolPage, 'Carol')
  // Bob has no page; his peer only needs an identity for his card.
  const rpc = await RpcClient.connect(bob.apiUrl)
  await rpc.call('identity.create', { name: 'Bob', passphrase: 'correct horse battery staple' })
  await rpc.close()
  await exchangeContactsBySetup(alice, bob) // SETUP
  const invite = await createNegotiation(page, { title: 'Only for Bob', counterparties: ['Bob'], clauses: [CLAUSES[0]!] })

  await gotoNegotiations(carolPage)
  await carolPage.getByRole('link', { name: 'Join by invite' }).first().click()
  await carolPage.getByLabel('Invite link').fill('trust:join/not-an-invite')
  await carolPage.getByRole('button', { name: 'Join negotiation' }).click()
  await expect(carolPage.getByRole('alert')).toContainText('That invite is not valid.')
  await carolPage.getByLabel('Invite link').fill('hello')
  await carolPage.getByRole('button', { name: 'Join negotiation' }).click()
  await expect(carolPage.getByText('Paste the whole invite')).toBeVisible()
  await carolPage.getByLabel('Invite link').fill(invite)
  await carolPage.getByRole('button', { name: 'Join negotiation' }).click()
  await expect(carolPage.getByRole('alert')).toContainText(/does not name you|not found on the network yet/, { timeout: 90_000 })
  await checkScreen(carolPage, 'join-error')
})

const IMG = `<img src=x onerror="document.title='pwned'">`
const SCRIPT = `<script>document.title='pwned'</script>`
const JS_URL = 'javascript:document.title="pwned"'

test('text from a counterparty is inert on the negotiation screens: markup is text, a javascript: URL is no link', async ({ page, peers, browser, watchPage }) => {
  test.setTimeout(300_000)
  const [mallory, bob] = await Promise.all([peers.start('Mallory'), peers.start('Bob')])
  const { page: bobPage } = await secondPage(browser, watchPage)
  await openApp(page, mallory)
  await createIdentity(page, 'Mallory')
  await openApp(bobPage, bob)
  await createIdentity(bobPage, 'Bob')
  await exchangeContactsBySetup(mallory, bob) // SETUP
  const title = `Deal ${IMG}`
  const invite = await createNegotiation(page, {
    title,
    counterparties: ['Bob'],
    clauses: [
      { title: `Terms ${SCRIPT}`, text: `Pay at ${JS_URL} and ${IMG}`, id: 'terms' },
      { title: 'Other', text: 'Plain.' },
    ],
  })
  await page.getByRole('link', { name: 'Open the negotiation' }).click()
  await joinByInvite(bobPage, invite, title)
  await expectStatus(page, 'Negotiating')
  await signFrom(page, 'Counter-offer', {
    fill: async (dialog) => {
      await dialog.getByLabel('Text of other').fill(`See ${JS_URL}`)
      await dialog.getByLabel('Note to the other parties (optional)').fill(`${SCRIPT} ${IMG} ${JS_URL}`)
    },
  })

  // Bob sees every piece as typed, as text: the title, the clause, the offer's note and diff.
  await expect(bobPage.getByRole('heading', { level: 1 })).toHaveText(title)
  await expect(bobPage.locator('.clause__title').first()).toHaveText(`Terms ${SCRIPT}`)
  await expect(bobPage.locator('.clause__text').first()).toHaveText(`Pay at ${JS_URL} and ${IMG}`)
  const timeline = bobPage.getByRole('region', { name: 'Signed timeline, scrollable' })
  await expect(timeline.getByText(`${SCRIPT} ${IMG} ${JS_URL}`)).toBeVisible({ timeout: 30_000 })
  await checkScreen(bobPage, 'inert-negotiation')
  expect(await bobPage.locator('main img, main script').count()).toBe(0)
  expect(await bobPage.locator('[href^="javascript:"], [src^="javascript:"]').count()).toBe(0)
  await bobPage.getByText(`Pay at ${JS_URL} and ${IMG}`).click()
  await gotoNegotiations(bobPage)
  await expect(bobPage.locator('.nrow__title')).toHaveText(title)
  expect(new URL(bobPage.url()).origin).toBe(bob.origin)
  expect(await bobPage.title()).not.toBe('pwned')
  expect(await page.title()).not.toBe('pwned')
})
