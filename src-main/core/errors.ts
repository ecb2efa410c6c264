/**
 * The one error type of Trust Primitive. Every module throws a TrustError with a
 * stable `code` (part of the API: it crosses IPC and JSON-RPC unchanged) and a
 * message of the form `CODE: text`. Wrong input is a TrustError, never a crash.
 */
export const TRUST_ERROR_CODES = [
  // generic input validation
  'INVALID_INPUT',
  'INVALID_ENCODING',
  'NON_CANONICAL',
  'TOO_LARGE',
  // crypto
  'BAD_KEY',
  'BAD_SIGNATURE',
  'BAD_HASH',
  // identity and keystore
  'NO_IDENTITY',
  'IDENTITY_EXISTS',
  'LOCKED',
  'BAD_PASSPHRASE',
  'WEAK_PASSPHRASE',
  'BAD_KDF_PARAMS',
  'BAD_BACKUP',
  'BAD_CONTACT',
  'NOT_FOUND',
  // store
  'DB_FROM_FUTURE',
  'DB_CORRUPT',
  'PROFILE_LOCKED',
  // receipts and checkpoints
  'BAD_RECEIPT',
  'BAD_CHAIN',
  'BAD_CHECKPOINT',
  'INCONSISTENT_CHECKPOINT',
  'BAD_PROOF',
  // negotiation
  'BAD_ENVELOPE',
  'INVALID_NEGOTIATION',
  'ILLEGAL_ACTION',
  'STALE_TERMS',
  // sync and bundles
  'BAD_INVITE',
  'BAD_BUNDLE',
  'NETWORK',
  'CLOSED',
  'INTERNAL',
] as const

export type TrustErrorCode = (typeof TRUST_ERROR_CODES)[number]

const CODE_SET: ReadonlySet<string> = new Set(TRUST_ERROR_CODES)

export class TrustError extends Error {
  readonly code: TrustErrorCode
  /** Machine-readable detail for callers (e.g. the first bad index); never secrets. */
  readonly detail: Readonly<Record<string, unknown>> | undefined

  constructor(code: TrustErrorCode, text: string, detail?: Record<string, unknown>) {
    super(`${code}: ${text}`)
    this.name = 'TrustError'
    this.code = code
    this.detail = detail
  }

  static isCode(value: unknown): value is TrustErrorCode {
    return typeof value === 'string' && CODE_SET.has(value)
  }

  static invalidInput(text: string, detail?: Record<string, unknown>): TrustError {
    return new TrustError('INVALID_INPUT', text, detail)
  }

  static invalidEncoding(text: string): TrustError {
    return new TrustError('INVALID_ENCODING', text)
  }

  static nonCanonical(text: string): TrustError {
    return new TrustError('NON_CANONICAL', text)
  }

  static tooLarge(what: string, size: number, max: number): TrustError {
    return new TrustError('TOO_LARGE', `${what} is ${size} bytes, the limit is ${max}`, { size, max })
  }

  static badKey(text: string): TrustError {
    return new TrustError('BAD_KEY', text)
  }

  static badSignature(text: string, detail?: Record<string, unknown>): TrustError {
    return new TrustError('BAD_SIGNATURE', text, detail)
  }

  static locked(): TrustError {
    return new TrustError('LOCKED', 'the identity is locked; unlock it with your passphrase first')
  }

  static badPassphrase(): TrustError {
    return new TrustError('BAD_PASSPHRASE', 'the passphrase is wrong, or the key file was tampered with')
  }

  static notFound(what: string): TrustError {
    return new TrustError('NOT_FOUND', `${what} was not found`)
  }

  static illegal(text: string, detail?: Record<string, unknown>): TrustError {
    return new TrustError('ILLEGAL_ACTION', text, detail)
  }

  /** Wraps anything thrown by a dependency so only TrustErrors cross module boundaries. */
  static from(err: unknown, code: TrustErrorCode = 'INTERNAL'): TrustError {
    if (err instanceof TrustError) return err
    const text = err instanceof Error ? err.message : String(err)
    return new TrustError(code, text)
  }

  toJSON(): { code: TrustErrorCode; message: string } {
    return { code: this.code, message: this.message }
  }
}
