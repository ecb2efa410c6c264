/**
 * `identity.*` and `contacts.*` of the TrustApi (DESIGN section 11) over the
 * IdentityService, the contacts store and the trust ledger. Results are the API's
 * plain JSON shapes; the passphrase goes straight to the service and nowhere else.
 */
import type { Contact, LedgerEvent, TrustApi } from '../../api.js'
import { TrustError } from '../errors.js'
import { isPublicKeyHex } from '../crypto/ed25519.js'
import type { IdentityService } from '../identity/index.js'
import { addContact, inspectCard, listContacts, removeContact, type Contact as StoredContact } from '../store/contacts.js'
import type { Db } from '../store/database.js'
import { TrustLedger } from '../negotiation/trust-ledger.js'
import { hex64, optStr, paramsOf, str } from './params.js'

type IdentityMethods = Pick<
  TrustApi,
  | 'identity.status'
  | 'identity.create'
  | 'identity.unlock'
  | 'identity.lock'
  | 'identity.changePassphrase'
  | 'identity.exportBackup'
  | 'identity.importBackup'
  | 'contacts.myCard'
  | 'contacts.add'
  | 'contacts.list'
  | 'contacts.remove'
  | 'contacts.trustEvents'
  | 'contacts.inspect'
>

export interface IdentityApiContext {
  db: Db
  identity: IdentityService
  /** Made on first use: its statements need the trust_events table. */
  ledger(): TrustLedger
  now(): number
  /** Runs before the key is wiped: the peer stops while it can still sign (negotiation-runtime.ts). */
  beforeLock(): Promise<void>
}

/** Passphrases are long but bounded: scrypt hashes whatever it is given. */
const MAX_PASSPHRASE = 1024

export function identityApi(ctx: IdentityApiContext): IdentityMethods {
  const { identity } = ctx
  const contactJson = (c: StoredContact): Contact => ({
    publicKey: c.publicKey,
    name: c.name,
    fingerprint: c.fingerprint,
    score: ctx.ledger().score(c.publicKey),
    added: c.added,
  })
  return {
    'identity.status': async (params) => {
      paramsOf('identity.status', params, [])
      return identity.status()
    },
    'identity.create': async (params) => {
      const p = paramsOf('identity.create', params, ['name', 'passphrase'])
      return identity.create({ name: str('identity.create', p, 'name', 256), passphrase: str('identity.create', p, 'passphrase', MAX_PASSPHRASE) })
    },
    'identity.unlock': async (params) => {
      const p = paramsOf('identity.unlock', params, ['passphrase'])
      return identity.unlock({ passphrase: str('identity.unlock', p, 'passphrase', MAX_PASSPHRASE) })
    },
    'identity.lock': async (params) => {
      paramsOf('identity.lock', params, [])
      await ctx.beforeLock()
      identity.lock()
      return null
    },
    'identity.changePassphrase': async (params) => {
      const p = paramsOf('identity.changePassphrase', params, ['old', 'new'])
      await identity.changePassphrase({
        old: str('identity.changePassphrase', p, 'old', MAX_PASSPHRASE),
        new: str('identity.changePassphrase', p, 'new', MAX_PASSPHRASE),
      })
      return null
    },
    'identity.exportBackup': async (params) => {
      paramsOf('identity.exportBackup', params, [])
      return identity.exportBackup()
    },
    'identity.importBackup': async (params) => {
      const p = paramsOf('identity.importBackup', params, ['blob', 'passphrase'])
      return identity.importBackup({
        blob: str('identity.importBackup', p, 'blob', 64 * 1024),
        passphrase: str('identity.importBackup', p, 'passphrase', MAX_PASSPHRASE),
      })
    },
    'contacts.myCard': async (params) => {
      paramsOf('contacts.myCard', params, [])
      return identity.myCard()
    },
    'contacts.add': async (params) => {
      const p = paramsOf('contacts.add', params, ['card', 'name'])
      const card = str('contacts.add', p, 'card', 4096)
      const name = optStr('contacts.add', p, 'name', 256)
      return contactJson(addContact(ctx.db, name === undefined ? { card } : { card, name }, new Date(ctx.now())))
    },
    'contacts.inspect': async (params) => {
      const p = paramsOf('contacts.inspect', params, ['card'])
      const preview = inspectCard(ctx.db, str('contacts.inspect', p, 'card', 4096))
      return {
        publicKey: preview.publicKey,
        name: preview.name,
        fingerprint: preview.fingerprint,
        contact: preview.existing === undefined ? null : contactJson(preview.existing),
      }
    },
    'contacts.list': async (params) => {
      paramsOf('contacts.list', params, [])
      return listContacts(ctx.db).map(contactJson)
    },
    'contacts.remove': async (params) => {
      const p = paramsOf('contacts.remove', params, ['publicKey'])
      removeContact(ctx.db, hex64('contacts.remove', p, 'publicKey'))
      return null
    },
    'contacts.trustEvents': async (params) => {
      const p = paramsOf('contacts.trustEvents', params, ['publicKey'])
      const key = hex64('contacts.trustEvents', p, 'publicKey')
      if (!isPublicKeyHex(key)) throw TrustError.invalidInput('contacts.trustEvents: publicKey is not a valid Ed25519 key', { field: 'publicKey' })
      return ctx.ledger().events(key).map(
        (e): LedgerEvent => ({
          seq: e.seq,
          hash: e.hash,
          type: e.kind,
          delta: e.delta / 1000,
          score: e.scoreAfter / 1000,
          negotiation: e.negotiation,
          time: e.time,
          ...(e.reason === null ? {} : { reason: e.reason }),
        }),
      )
    },
  }
}
