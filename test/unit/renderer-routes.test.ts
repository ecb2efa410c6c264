/**
 * The renderer's routing (src-renderer/src/routing/routes.ts): every view's
 * fragment reads back as the same route, `trust:` links land on their view, and
 * any other text (hostile or mistyped) is `not-found`, never an exception.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatRoute, normalizeLink, parseRoute, routeForTarget, type Route } from '../../src-renderer/src/routing/routes.js'

const ID = 'ab'.repeat(32)
const INVITE = `trust:join/${'A'.repeat(130)}`
const CARD = `trust:contact/${'eyJ2IjoxfQ'}`

describe('routes', () => {
  const routes: Route[] = [
    { view: 'home' },
    { view: 'contacts' },
    { view: 'contacts', card: CARD },
    { view: 'negotiations' },
    { view: 'new-negotiation' },
    { view: 'join' },
    { view: 'join', invite: INVITE },
    { view: 'negotiation', id: ID },
    { view: 'receipts' },
    { view: 'verify' },
    { view: 'settings' },
    { view: 'demo' },
  ]

  it.each(routes.map((r) => [formatRoute(r), r] as const))('%s reads back as the same route', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route)
  })

  it('reads an empty fragment and #/home as home', () => {
    expect(parseRoute('')).toEqual({ view: 'home' })
    expect(parseRoute('#')).toEqual({ view: 'home' })
    expect(parseRoute('#/home')).toEqual({ view: 'home' })
  })

  it.each([
    ['an unknown view', '#/admin'],
    ['a negotiation id that is not 64 hex', '#/negotiations/ABC'],
    ['an uppercase id', `#/negotiations/${ID.toUpperCase()}`],
    ['extra segments', `#/negotiations/${ID}/x/y`],
    ['a javascript: invite', '#/join?invite=javascript:alert(1)'],
    ['an invite of the wrong kind', `#/join?invite=${encodeURIComponent(CARD)}`],
    ['a card with markup', `#/contacts?card=${encodeURIComponent('trust:contact/<img src=x onerror=alert(1)>')}`],
    ['a token fragment', '#token=abcdefabcdefabcdef'],
    ['a path without a slash', '#settings'],
  ])('refuses %s as not-found', (_label, hash) => {
    expect(parseRoute(hash).view).toBe('not-found')
  })

  it('never throws and always gives a route whose fragment parses to a route', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const route = parseRoute(text)
        expect(typeof route.view).toBe('string')
        expect(typeof parseRoute(formatRoute(route)).view).toBe('string')
      }),
      { numRuns: 500 },
    )
  })
})

describe('trust: links', () => {
  it('accepts both spellings and rewrites them canonically', () => {
    expect(normalizeLink(INVITE)).toEqual({ kind: 'join', link: INVITE })
    expect(normalizeLink(INVITE.replace('trust:', 'trust://'))).toEqual({ kind: 'join', link: INVITE })
    expect(normalizeLink(`  ${CARD}/ `)).toEqual({ kind: 'contact', link: CARD })
  })

  it.each([
    ['another scheme', 'https://example.com/join/abc'],
    ['javascript:', 'javascript:alert(1)'],
    ['another kind', 'trust:admin/abc'],
    ['an empty payload', 'trust:join/'],
    ['characters outside base64url', 'trust:join/ab+c'],
    ['a query', 'trust:join/abc?x=1'],
    ['an oversized payload', `trust:join/${'A'.repeat(5000)}`],
  ])('refuses %s', (_label, text) => {
    expect(normalizeLink(text)).toBeNull()
  })

  it('routes a link to its view, an app path to its route, and anything else to not-found', () => {
    expect(routeForTarget(INVITE)).toEqual({ view: 'join', invite: INVITE })
    expect(routeForTarget(CARD)).toEqual({ view: 'contacts', card: CARD })
    expect(routeForTarget('/settings')).toEqual({ view: 'settings' })
    expect(routeForTarget('trust:nonsense')).toEqual({ view: 'not-found', path: '/link' })
    expect(routeForTarget('javascript:alert(1)').view).toBe('not-found')
  })
})
