/**
 * Text from counterparties stays inert on the contacts and Verify screens (the
 * shell's own inert-text test covers names typed here): a contact whose signed
 * card name is markup with a `javascript:` URL, and an agreement file whose
 * signed title and clauses and unsigned names carry markup. Everything shows
 * as the text it is; nothing is parsed, runs, or navigates (the page watch
 * fails the test on any dialog, error or CSP violation).
 */
import { createIdentity, openApp } from './fixtures/app.js'
import { checkScreen } from './fixtures/checks.js'
import { allowClipboard, contactRow, copyMyCard, myFingerprint, openView } from './fixtures/contacts.js'
import { createNegotiation, exportBundleText, publicKeyOf } from './fixtures/setup-rpc.js'
import { expect, test } from './fixtures/test.js'
import { verifyFile } from './fixtures/verify.js'

/** 64 code points: the longest name a card may carry. */
const HOSTILE_NAME = '<img src=x onerror=alert(1)> javascript:alert(document.domain)'
const HOSTILE_TITLE = '<script>alert(2)</script><a href="javascript:alert(3)">Sign here</a>'
const HOSTILE_CLAUSE = { id: 'terms', title: '<img src=x onerror=alert(4)>', text: '[Pay now](javascript:alert(5))\n<iframe src="javascript:alert(6)"></iframe>' }
const HOSTILE_LABEL = '<b onmouseover=alert(7)>Notary</b> javascript:alert(8)'

test('a hostile contact name and a hostile agreement file are shown as text and never run', async ({ page, peers, browser, watchPage }) => {
  test.setTimeout(300_000)
  expect([...HOSTILE_NAME].length).toBeLessThanOrEqual(64)
  const [mallory, victim] = await Promise.all([peers.start('Mallory'), peers.start('Victim')])
  const victimPage = page
  const malloryContext = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  await allowClipboard(malloryContext, mallory.origin)
  const malloryPage = await malloryContext.newPage()
  watchPage(malloryPage)
  await Promise.all([openApp(malloryPage, mallory), openApp(victimPage, victim)])
  await createIdentity(malloryPage, HOSTILE_NAME)
  await createIdentity(victimPage, 'Victim')
  const title = await victimPage.title()

  // The card arrives as a trust:contact link: the compare step opens with its signed name as text.
  const card = await copyMyCard(malloryPage)
  await victimPage.evaluate((link) => (location.hash = `#/contacts?card=${encodeURIComponent(link)}`), card)
  await expect(victimPage.getByRole('heading', { name: 'Compare fingerprints' })).toBeFocused()
  await expect(victimPage.locator('.add-contact__fingerprint')).toHaveText(await myFingerprint(malloryPage))
  await expect(victimPage.locator('.add-contact dd.inert-name')).toHaveText(HOSTILE_NAME)
  await checkScreen(victimPage, 'inert-contact-compare')
  await victimPage.getByRole('button', { name: 'Fingerprints match: save contact' }).click()
  // Saved, and the link's card has left the address.
  await expect(victimPage).toHaveURL(/#\/contacts$/)
  const row = contactRow(victimPage, 'javascript:alert(document.domain)')
  await expect(row.locator('.contact__name')).toHaveText(HOSTILE_NAME)
  await row.getByRole('button', { name: /^Remove…/ }).click()
  await expect(victimPage.getByRole('dialog').locator('strong')).toHaveText(HOSTILE_NAME)
  await checkScreen(victimPage, 'inert-contact-dialog')
  await victimPage.getByRole('button', { name: 'Keep' }).click()

  // SETUP: Mallory's negotiation with markup in its signed title and clause, exported; the
  // unsigned names are then edited, as anyone holding the file can.
  const victimKey = await publicKeyOf(victimPage)
  const malloryParty = { page: malloryPage, publicKey: await publicKeyOf(malloryPage) }
  const { negotiation } = await createNegotiation(malloryParty, [{ page: victimPage, publicKey: victimKey }], {
    title: HOSTILE_TITLE,
    clauses: [HOSTILE_CLAUSE],
  })
  const bundle = JSON.parse(await exportBundleText(malloryParty, negotiation)) as { names: Record<string, string> }
  bundle.names = { [malloryParty.publicKey]: HOSTILE_LABEL, [victimKey]: 'javascript:alert(9)' }

  await openView(victimPage, 'Verify')
  await verifyFile(victimPage, '<img src=x onerror=alert(10)>.trust.json', JSON.stringify(bundle))
  const result = victimPage.getByRole('region', { name: 'Result' })
  await expect(result.getByText('Valid file, but no binding agreement')).toBeVisible() // names are unsigned: editing them breaks nothing
  await expect(result.locator('.verdict__file .inert-name')).toHaveText('<img src=x onerror=alert(10)>.trust.json')
  await expect(result.locator('.verify-title')).toHaveText(HOSTILE_TITLE)
  await expect(result.locator('.verify-clause__title')).toHaveText(HOSTILE_CLAUSE.title)
  await expect(result.locator('.verify-clause__text')).toHaveText(HOSTILE_CLAUSE.text)
  await expect(result.locator('.verify-party__name').first()).toContainText(HOSTILE_LABEL)
  await expect(result.locator('.verify-party__name').nth(1)).toContainText('javascript:alert(9)')
  await checkScreen(victimPage, 'inert-verify')

  // Nothing became markup: no element a name or title could have made, no script URL anywhere.
  for (const p of [victimPage, malloryPage]) {
    expect(await p.locator('main img, main script, main iframe, main b, main a[href^="javascript:"], [href*="javascript:"], [src*="javascript:"]').count()).toBe(0)
  }
  await result.locator('.verify-title').click()
  await result.locator('.verify-party__name').first().hover()
  expect(new URL(victimPage.url()).origin).toBe(victim.origin)
  expect(await victimPage.title()).toBe(title)
  await malloryContext.close()
})
