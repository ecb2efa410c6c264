/** A fragment or link that leads nowhere: say so, and offer the way home. */
import { Screen } from '../components/screen.js'
import { RouteLink } from '../routing/link.js'

export function NotFoundScreen({ link }: { link: boolean }) {
  return (
    <Screen
      title={link ? 'This link cannot be opened' : 'Nothing here'}
      lead={
        link
          ? 'The link is damaged or of a kind this version does not know. Ask the sender for it again, and copy all of it.'
          : 'There is no view at this address in this version of Trust Primitive.'
      }
    >
      <p>
        <RouteLink to={{ view: 'home' }} className="button button--primary">
          Go to the overview
        </RouteLink>
      </p>
    </Screen>
  )
}
