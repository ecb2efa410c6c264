/**
 * The two hostile moves of the live demo's optional steps, made with the real
 * envelope code so that only the engines' checks stand between them and the
 * agreement:
 *   - a forgery: a third party signs an envelope that names someone else as its
 *     author (its signature cannot verify against that key);
 *   - a fork (DESIGN 4.1): a signer signs a second version of one of its earlier
 *     messages, same seq, lamport and refs, its time ground until its hash sorts
 *     before the original, which is what would win if order alone decided.
 */
import { TrustError } from '../errors.js'
import type { Signer } from '../crypto/signer.js'
import { DOMAIN_ENVELOPE } from '../protocol/domains.js'
import { createEnvelope, parseEnvelope, type SignedEnvelope } from '../protocol/envelope.js'
import { validateEnvelope, type UnsignedEnvelope } from '../protocol/envelope-schema.js'
import { canonicalizeStrict } from '../protocol/jcs.js'

const utf8 = new TextEncoder()

/** An envelope in `unsigned.author`'s name, signed by `forger` (any other key). */
export function forgeEnvelope(forger: Signer, unsigned: UnsignedEnvelope): SignedEnvelope {
  const checked = validateEnvelope(unsigned, false)
  if (checked.author === forger.publicKey) throw TrustError.invalidInput('a forgery names someone else as its author')
  const sig = forger.signCanonical(DOMAIN_ENVELOPE, checked)
  return parseEnvelope(utf8.encode(canonicalizeStrict({ ...checked, sig })))
}

/** Most grinding steps tried; each halves the odds of not sorting first. */
const MAX_GRIND = 4096

/** A second version of `original` (signed by `signer`, its author) with another body, ground to sort before it. */
export function forkEnvelope(signer: Signer, original: SignedEnvelope, body: UnsignedEnvelope['body']): SignedEnvelope {
  const o = original.envelope
  if (o.author !== signer.publicKey) throw TrustError.invalidInput('only the author of a message can fork it')
  const { sig: _sig, ...unsigned } = o
  for (let i = 1; i <= MAX_GRIND; i++) {
    const fork = createEnvelope(signer, { ...unsigned, body, time: new Date(Date.parse(o.time) + i).toISOString() } as UnsignedEnvelope)
    if (fork.hash < original.hash) return fork
  }
  throw new TrustError('INTERNAL', 'no fork sorting first was found')
}
