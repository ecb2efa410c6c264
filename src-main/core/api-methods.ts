/**
 * The runtime list of TrustApi method names (src-main/api.ts is types only).
 * IPC and JSON-RPC check a caller's method name against it before dispatching,
 * so a hostile caller cannot reach `constructor`, `__proto__` or anything else
 * that happens to be a property of the implementing object.
 */
import type { TrustMethod } from '../api.js'

export const TRUST_API_METHODS = [
  'identity.status',
  'identity.create',
  'identity.unlock',
  'identity.lock',
  'identity.changePassphrase',
  'identity.exportBackup',
  'identity.importBackup',
  'contacts.myCard',
  'contacts.add',
  'contacts.list',
  'contacts.remove',
  'contacts.trustEvents',
  'negotiations.create',
  'negotiations.invite',
  'negotiations.join',
  'negotiations.list',
  'negotiations.get',
  'negotiations.offer',
  'negotiations.lock',
  'negotiations.accept',
  'negotiations.finalize',
  'negotiations.withdraw',
  'negotiations.dispute',
  'negotiations.decide',
  'negotiations.resolve',
  'negotiations.export',
  'negotiations.certificate',
  'negotiations.envelope',
  'bundles.verify',
  'receipts.list',
  'receipts.verify',
  'receipts.checkpoint',
  'receipts.proof',
  'network.status',
  'updates.status',
  'updates.setAutoCheck',
  'updates.check',
  'updates.install',
  'files.takeOpened',
  'settings.get',
  'settings.set',
  'contacts.inspect',
  'bundles.report',
  'receipts.summary',
  'receipts.checkpoints',
  'diagnostics.metrics',
  'diagnostics.logs',
  'seeders.add',
  'seeders.remove',
  'seeders.list',
  'seeders.status',
  'demo.state',
  'demo.start',
  'demo.step',
  'demo.autoplay',
  'demo.pause',
  'demo.reset',
  'demo.stop',
  'demo.envelope',
  'demo.export',
] as const satisfies readonly TrustMethod[]

// Compile-time proof the list is complete: fails to type-check if api.ts gains a method.
type Missing = Exclude<TrustMethod, (typeof TRUST_API_METHODS)[number]>
const complete: [Missing] extends [never] ? true : Missing = true
void complete

const METHOD_SET: ReadonlySet<string> = new Set(TRUST_API_METHODS)

export function isTrustMethod(value: unknown): value is TrustMethod {
  return typeof value === 'string' && METHOD_SET.has(value)
}
