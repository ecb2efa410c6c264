/**
 * The clauses of a new negotiation: add, edit, move up or down, remove. A
 * clause's id follows its title until the person edits the id.
 */
import type { ClauseDraft, DraftErrors } from './negotiation-draft.js'
import { MAX_CLAUSES, clauseIdFrom } from './negotiation-draft.js'
import { TextArea } from './text-area.js'
import { TextField } from '../components/text-field.js'

export interface ClauseEditorProps {
  clauses: ClauseDraft[]
  onChange(next: ClauseDraft[]): void
  errors: DraftErrors['clause']
  /** Show errors only after a first submit, or for fields already left. */
  showErrors: boolean
}

export function ClauseEditor({ clauses, onChange, errors, showErrors }: ClauseEditorProps) {
  const taken = (except: number) => new Set(clauses.filter((c) => c.key !== except).map((c) => c.id))
  const update = (key: number, patch: Partial<ClauseDraft>) =>
    onChange(
      clauses.map((c) => {
        if (c.key !== key) return c
        const next = { ...c, ...patch }
        if (patch.title !== undefined && !c.idEdited) next.id = clauseIdFrom(patch.title, taken(key))
        return next
      }),
    )
  const move = (index: number, by: -1 | 1) => {
    const next = [...clauses]
    const [item] = next.splice(index, 1)
    next.splice(index + by, 0, item!)
    onChange(next)
  }
  const add = () => {
    const key = Math.max(0, ...clauses.map((c) => c.key)) + 1
    onChange([...clauses, { key, id: '', idEdited: false, title: '', text: '' }])
  }

  return (
    <div className="clause-editor">
      <ol className="clause-editor__list">
        {clauses.map((c, i) => {
          const e = showErrors ? errors?.[c.key] : undefined
          const label = `Clause ${i + 1}`
          return (
            <li key={c.key} className="clause-editor__item" aria-label={label}>
              <div className="clause-editor__head">
                <h3 className="clause-editor__number">{label}</h3>
                <div className="clause-editor__tools">
                  <button type="button" className="button button--quiet" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move clause ${i + 1} up`}>
                    Up
                  </button>
                  <button
                    type="button"
                    className="button button--quiet"
                    disabled={i === clauses.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={`Move clause ${i + 1} down`}
                  >
                    Down
                  </button>
                  <button
                    type="button"
                    className="button button--quiet"
                    disabled={clauses.length === 1}
                    onClick={() => onChange(clauses.filter((x) => x.key !== c.key))}
                    aria-label={`Remove clause ${i + 1}`}
                  >
                    Remove
                  </button>
                </div>
              </div>
              <div className="clause-editor__fields">
                <TextField label={`${label} title`} value={c.title} maxLength={200} onChange={(ev) => update(c.key, { title: ev.target.value })} error={e?.title ?? null} />
                <TextField
                  label={`${label} id`}
                  value={c.id}
                  maxLength={64}
                  spellCheck={false}
                  autoCapitalize="off"
                  className="clause-editor__id"
                  hint="How offers name this clause. Made from the title; you may change it."
                  onChange={(ev) => update(c.key, { id: ev.target.value, idEdited: true })}
                  error={e?.id ?? null}
                />
              </div>
              <TextArea label={`${label} text`} value={c.text} rows={3} maxLength={4000} onChange={(ev) => update(c.key, { text: ev.target.value })} error={e?.text} />
            </li>
          )
        })}
      </ol>
      <button type="button" className="button button--secondary" onClick={add} disabled={clauses.length >= MAX_CLAUSES}>
        Add a clause
      </button>
    </div>
  )
}
