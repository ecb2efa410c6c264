/** A party as the screens show it: the name (inert text) and the fingerprint that proves who it is. */
import type { PublicKeyHex } from '../../../src-main/api.js'
import { Fingerprint } from '../components/fingerprint.js'
import type { NameOf } from './party-names.js'

export function PartyLabel({ partyKey, nameOf, compact = false }: { partyKey: PublicKeyHex; nameOf: NameOf; compact?: boolean }) {
  const who = nameOf(partyKey)
  return (
    <span className="party" title={partyKey}>
      <span className={who.known ? 'party__name inert-name' : 'party__name party__name--unknown'}>{who.name}</span>
      {compact && who.you ? null : (
        <>
          {' '}
          <Fingerprint value={who.fingerprint} />
        </>
      )}
    </span>
  )
}
