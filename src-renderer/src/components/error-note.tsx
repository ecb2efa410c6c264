/** An error next to what it concerns: what happened and what to try, announced at once. */
import type { ApiError } from '../../../src-main/api.js'
import { describeError, type ErrorText } from './error-text.js'

export function ErrorNote({ error, text }: { error?: ApiError | null; text?: ErrorText }) {
  const shown = text ?? (error ? describeError(error) : null)
  if (!shown) return null
  return (
    <div className="error-note" role="alert">
      <p className="error-note__title">{shown.title}</p>
      <p className="error-note__hint">{shown.hint}</p>
    </div>
  )
}
