/**
 * Where the app is: one Route per view of DESIGN section 11, kept in the address
 * fragment (`#/negotiations/<id>`) so Back, reloads, the Electron menu and
 * `trust:` links all land on a view. Parsing is total: any text, a hostile link
 * included, gives a Route (`not-found` when it means nothing), never an exception.
 * DOM-free; hash-router.ts binds it to the address bar.
 */

export type Route =
  | { view: 'home' }
  | { view: 'contacts'; /** A `trust:contact/...` card to add, from a link. */ card?: string }
  | { view: 'negotiations' }
  | { view: 'new-negotiation' }
  | { view: 'join'; /** A `trust:join/...` invite, from a link. */ invite?: string }
  | { view: 'negotiation'; id: string }
  | { view: 'receipts' }
  | { view: 'verify' }
  | { view: 'settings' }
  | { view: 'demo' }
  | { view: 'not-found'; path: string }

export type View = Route['view']

export const HOME: Route = { view: 'home' }

const HASH64 = /^[0-9a-f]{64}$/
/** Links are base64url payloads behind a fixed prefix; the core checks the rest. */
const LINK_BODY = /^[A-Za-z0-9_-]{1,4096}$/
const MAX_PATH = 8192

/** The fragment for a route, e.g. `#/join?invite=trust%3Ajoin%2F...`. */
export function formatRoute(route: Route): string {
  switch (route.view) {
    case 'home':
      return '#/'
    case 'contacts':
      return route.card ? `#/contacts?card=${encodeURIComponent(route.card)}` : '#/contacts'
    case 'join':
      return route.invite ? `#/join?invite=${encodeURIComponent(route.invite)}` : '#/join'
    case 'negotiation':
      return `#/negotiations/${route.id}`
    case 'new-negotiation':
      return '#/negotiations/new'
    case 'not-found':
      return `#${route.path.startsWith('/') ? route.path : `/${route.path}`}`
    default:
      return `#/${route.view}`
  }
}

/** The route of a fragment (`#/...`) or a bare path (`/settings`). */
export function parseRoute(hashOrPath: string): Route {
  const raw = hashOrPath.startsWith('#') ? hashOrPath.slice(1) : hashOrPath
  if (raw.length > MAX_PATH) return { view: 'not-found', path: '/' }
  const path = raw === '' ? '/' : raw
  if (!path.startsWith('/')) return { view: 'not-found', path: `/${path}` }
  const q = path.indexOf('?')
  const pathname = q < 0 ? path : path.slice(0, q)
  const query = new URLSearchParams(q < 0 ? '' : path.slice(q + 1))
  const parts = pathname.split('/').filter((p) => p !== '')

  if (parts.length === 0) return HOME
  const [first, second, ...rest] = parts
  if (rest.length > 0) return { view: 'not-found', path: pathname }
  switch (first) {
    case 'contacts': {
      if (second !== undefined) break
      const card = query.get('card')
      if (card === null) return { view: 'contacts' }
      const link = normalizeLink(card)
      return link?.kind === 'contact' ? { view: 'contacts', card: link.link } : { view: 'not-found', path: pathname }
    }
    case 'join': {
      if (second !== undefined) break
      const invite = query.get('invite')
      if (invite === null) return { view: 'join' }
      const link = normalizeLink(invite)
      return link?.kind === 'join' ? { view: 'join', invite: link.link } : { view: 'not-found', path: pathname }
    }
    case 'negotiations':
      if (second === undefined) return { view: 'negotiations' }
      if (second === 'new') return { view: 'new-negotiation' }
      if (HASH64.test(second)) return { view: 'negotiation', id: second }
      break
    case 'receipts':
    case 'verify':
    case 'settings':
    case 'demo':
      if (second === undefined) return { view: first }
      break
    case 'home':
      if (second === undefined) return HOME
      break
  }
  return { view: 'not-found', path: pathname }
}

export type TrustLink = { kind: 'join' | 'contact'; link: string }

/**
 * A `trust:join/<payload>` or `trust:contact/<payload>` link in its canonical
 * spelling, or null. `trust://join/...` (how some systems hand a link over) is
 * accepted and rewritten; surrounding whitespace is ignored.
 */
export function normalizeLink(text: string): TrustLink | null {
  if (typeof text !== 'string' || text.length > 4200) return null
  const m = /^trust:(?:\/\/)?(join|contact)\/([^/?#\s]*)\/?$/.exec(text.trim())
  if (!m || !LINK_BODY.test(m[2]!)) return null
  const kind = m[1] as 'join' | 'contact'
  return { kind, link: `trust:${kind}/${m[2]}` }
}

/** Where a `trust:` link or an app path (from the Electron shell) leads. */
export function routeForTarget(target: string): Route {
  if (typeof target !== 'string') return { view: 'not-found', path: '/' }
  const link = normalizeLink(target)
  if (link) return link.kind === 'join' ? { view: 'join', invite: link.link } : { view: 'contacts', card: link.link }
  if (target.startsWith('trust:')) return { view: 'not-found', path: '/link' }
  return parseRoute(target)
}

export function sameRoute(a: Route, b: Route): boolean {
  return formatRoute(a) === formatRoute(b)
}
