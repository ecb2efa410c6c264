/** A link to a view: a real <a href="#/..."> (keyboard, middle-click and Back work), via the hash router. */
import type { AnchorHTMLAttributes, ReactNode } from 'react'
import { formatRoute, type Route } from './routes.js'

export interface RouteLinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: Route
  children: ReactNode
}

export function RouteLink({ to, children, ...rest }: RouteLinkProps) {
  return (
    <a href={formatRoute(to)} {...rest}>
      {children}
    </a>
  )
}
