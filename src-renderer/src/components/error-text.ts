/**
 * What an ApiError means to a person: what happened, and what to try. Specific
 * screens may say more (the unlock screen about Caps Lock); this is the default.
 */
import type { ApiError } from '../../../src-main/api.js'

export interface ErrorText {
  title: string
  hint: string
}

const TEXTS: Partial<Record<ApiError['code'], ErrorText>> = {
  BAD_PASSPHRASE: { title: 'That passphrase is not right.', hint: 'Check Caps Lock and the keyboard layout, then try again.' },
  WEAK_PASSPHRASE: { title: 'That passphrase is not allowed.', hint: 'Use 8 to 1024 characters; a few unrelated words work well.' },
  LOCKED: { title: 'Your identity is locked.', hint: 'Unlock it with your passphrase, then try again.' },
  NO_IDENTITY: { title: 'There is no identity in this profile yet.', hint: 'Create one, or restore one from a backup file.' },
  IDENTITY_EXISTS: {
    title: 'This profile already has a different identity.',
    hint: 'A backup can only restore the identity this profile already holds. Use another profile to restore a different one.',
  },
  BAD_BACKUP: { title: 'This is not a usable backup file.', hint: 'Choose the backup file exported from Trust Primitive (Settings, Export backup).' },
  BAD_CONTACT: { title: 'That contact card is not valid.', hint: 'Ask for the card again and paste all of it, from trust:contact/ to the end.' },
  BAD_INVITE: { title: 'That invite is not valid.', hint: 'Ask for the invite again and paste all of it, from trust:join/ to the end.' },
  STALE_TERMS: { title: 'The terms changed a moment ago.', hint: 'Read the new terms, then decide again.' },
  NETWORK: { title: 'Could not reach your Trust peer.', hint: 'Check that it is running; the page reconnects by itself.' },
  PROFILE_LOCKED: { title: 'Another program has this profile open.', hint: 'Close the other Trust Primitive window or `trust serve`, then try again.' },
  CLOSED: { title: 'Your Trust peer is shutting down.', hint: 'Start it again, then reload this page.' },
  INTERNAL: { title: 'Something went wrong inside Trust Primitive.', hint: 'Try again. If it keeps happening, the log in your profile folder says why.' },
}

/** The text after "CODE: ", as TrustError messages are written. */
export function detailOf(error: ApiError): string {
  const prefix = `${error.code}: `
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message
}

export function describeError(error: ApiError): ErrorText {
  const known = TEXTS[error.code]
  if (error.code === 'NETWORK' || error.code === 'INVALID_INPUT' || !known) {
    const detail = detailOf(error)
    return { title: known?.title ?? sentence(detail), hint: known && detail !== known.title ? sentence(detail) : 'Check what you entered and try again.' }
  }
  return known
}

function sentence(text: string): string {
  const t = text.trim()
  if (t === '') return 'Something went wrong.'
  const first = t.charAt(0).toUpperCase() + t.slice(1)
  return /[.!?]$/.test(first) ? first : `${first}.`
}
