/**
 * The frame of every screen: its title (an h1 the shell moves focus to when the
 * view changes, so screen readers hear where they are), an optional lead
 * sentence and the content.
 */
import type { ReactNode } from 'react'

export const SCREEN_TITLE_ID = 'screen-title'

export function Screen({ title, lead, children, actions }: { title: string; lead?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="screen">
      <header className="screen__header">
        <div>
          <h1 className="screen__title" id={SCREEN_TITLE_ID} tabIndex={-1}>
            {title}
          </h1>
          {lead ? <p className="screen__lead">{lead}</p> : null}
        </div>
        {actions ? <div className="screen__actions">{actions}</div> : null}
      </header>
      {children}
    </div>
  )
}
