/** The terms in full, for reading before signing them. */
import type { Clause } from '../../../src-main/api.js'

export function TermsList({ clauses }: { clauses: readonly Clause[] }) {
  return (
    <ol className="terms-read">
      {clauses.map((c) => (
        <li key={c.id}>
          <p className="clause__title inert-name">
            {c.title} <span className="mono muted">({c.id})</span>
          </p>
          <p className="inert-name">{c.text}</p>
        </li>
      ))}
    </ol>
  )
}
