/** A titled block of a screen, labelled by its heading. */
import { useId, type ReactNode } from 'react'

export function Panel({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const headingId = useId()
  return (
    <section className="panel" aria-labelledby={headingId}>
      <header className="panel__header">
        <h2 className="panel__title" id={headingId}>
          {title}
        </h2>
        {actions ? <div className="panel__actions">{actions}</div> : null}
      </header>
      <div className="panel__body">{children}</div>
    </section>
  )
}
