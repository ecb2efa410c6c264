/**
 * Evidence in an agreement file, shown plainly in the Verify view: a party who
 * signed two versions of one message after the agreement bound (the attack of
 * issue 9). The file stays valid and BINDING on the original terms; the forged
 * version is listed as rejected (EQUIVOCATION) and the equivocation names its
 * author, the message number and every version. The file arrives by drag and
 * drop; it is built by the core's own test fixtures from real signatures.
 */
import { serializeBundle } from '../../src-main/core/bundle/export-bundle.js'
import { forkedAgreement } from '../fixtures/bundle-fixtures.js'
import { createIdentity, openApp } from './fixtures/app.js'
import { checkScreen } from './fixtures/checks.js'
import { openView } from './fixtures/contacts.js'
import { expect, test } from './fixtures/test.js'
import { dropFile } from './fixtures/verify.js'

test('an equivocation in an agreement file is shown with its author, message number and every version', async ({ page, peers }) => {
  const dana = await peers.start('Dana')
  await openApp(page, dana)
  await createIdentity(page, 'Dana')
  await openView(page, 'Verify')

  const forked = forkedAgreement()
  await dropFile(page, 'forked.trust.json', serializeBundle(forked.bundle))
  const result = page.getByRole('region', { name: 'Result' })
  await expect(result.getByText('Valid agreement file')).toBeVisible()
  await expect(result.locator('.binding-hash')).toHaveText(forked.bundle.claimed.bindingHash!)
  await expect(result.locator('.verify-clause__text').filter({ hasText: 'Bob pays Alice $750.' })).toBeVisible()
  await expect(result.getByText('Bob pays Alice $0.')).toHaveCount(0)

  const rejected = result.getByRole('region', { name: /^Rejected messages \(\d+\)$/ })
  const forgedRow = rejected.getByRole('row').filter({ hasText: forked.fork.hash.slice(0, 16) })
  await expect(forgedRow).toContainText('EQUIVOCATION')
  await expect(forgedRow).toContainText('Its author had already signed a different message in its place.')
  await expect(forgedRow).toContainText('Bob (unsigned name)')

  const evidence = result.getByRole('region', { name: 'Equivocation (1)' })
  await expect(evidence).toContainText(`Bob (unsigned name)`)
  await expect(evidence).toContainText(`signed 2 versions of their message number ${forked.original.envelope.seq}`)
  // Every version, sorted, each saying whether it counted.
  const versions = [forked.original.hash, forked.fork.hash].sort()
  await expect(evidence.locator('.equivocation__hashes li')).toHaveText(versions.map((h) => `${h} ${h === forked.fork.hash ? 'rejected' : 'kept'}`))
  await evidence.scrollIntoViewIfNeeded()
  await checkScreen(page, 'verify-equivocation')
})
