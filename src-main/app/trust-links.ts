/**
 * `trust:` links (DESIGN section 5 invites, section 2 contact cards) reach the
 * desktop app as a command-line argument (Windows, Linux: at launch or through
 * the single-instance handoff) or an `open-url` event (macOS). They are passed
 * to the page as a `navigate` event; the page parses them like any other
 * untrusted text (src-renderer/src/routing/routes.ts). Here they are only picked
 * out and bounded.
 */
export const TRUST_SCHEME = 'trust'

/** Longer than any real invite or card (contact cards are at most 2048 characters). */
const MAX_LINK = 4200

/** A `trust:` link, as given, or null for anything else. */
export function asTrustLink(text: unknown): string | null {
  if (typeof text !== 'string' || text.length > MAX_LINK) return null
  const trimmed = text.trim()
  return /^trust:(\/\/)?(join|contact)\/[A-Za-z0-9_-]+\/?$/.test(trimmed) ? trimmed : null
}

/** The last `trust:` link among command-line arguments (the OS appends it), or null. */
export function trustLinkFromArgv(argv: readonly string[]): string | null {
  for (let i = argv.length - 1; i >= 0; i--) {
    const link = asTrustLink(argv[i])
    if (link) return link
  }
  return null
}

/**
 * Links that arrive before the page can hear them (at launch, or while the
 * window loads) wait here; `flush` hands them over once the page has loaded.
 */
export class PendingLinks {
  private readonly queue: string[] = []
  private deliver: ((link: string) => void) | null = null

  push(link: string): void {
    if (this.deliver) this.deliver(link)
    else if (this.queue.length < 16) this.queue.push(link)
  }

  /** From now on links go straight to `deliver`; the waiting ones go first. */
  flush(deliver: (link: string) => void): void {
    this.deliver = deliver
    for (const link of this.queue.splice(0)) deliver(link)
  }

  /** The page went away (reload, closed window): hold links again. */
  pause(): void {
    this.deliver = null
  }
}
