/**
 * An address that shows nothing: a damaged `trust:` link, a view this build does
 * not have, or a mistyped fragment. Says which, and offers the way home.
 */
import { Screen } from '../components/screen.js'
import { RouteLink } from '../routing/link.js'

export type NotFoundKind = 'bad-link' | 'unavailable' | 'nothing'

const TEXT: Record<NotFoundKind, { title: string; lead: string }> = {
  'bad-link': {
    title: 'This link cannot be opened',
    lead: 'The link is damaged or of a kind Trust Primitive does not know. Ask the sender for it again, and copy all of it.',
  },
  unavailable: {
    title: 'Not in this version',
    lead: 'This view is not part of this build of Trust Primitive yet.',
  },
  nothing: {
    title: 'Nothing here',
    lead: 'There is no view at this address.',
  },
}

export function NotFoundScreen({ kind }: { kind: NotFoundKind }) {
  const text = TEXT[kind]
  return (
    <Screen title={text.title} lead={text.lead}>
      <p>
        <RouteLink to={{ view: 'home' }} className="button button--primary">
          Go to the overview
        </RouteLink>
      </p>
    </Screen>
  )
}
