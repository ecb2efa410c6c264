/** A key's fingerprint, grouped for reading aloud (DESIGN section 2), in a monospace face. */
export function Fingerprint({ value, large = false }: { value: string; large?: boolean }) {
  return (
    <span className={large ? 'fingerprint fingerprint--large' : 'fingerprint'} translate="no">
      {value}
    </span>
  )
}

/** The fingerprint of a 64-hex public key: its first 8 bytes in groups of 4 hex digits (as the core writes it). */
export function fingerprintOf(publicKey: string): string {
  return (publicKey.slice(0, 16).match(/.{4}/g) ?? []).join(' ')
}
