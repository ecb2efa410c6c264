/**
 * What an offer changes, clause by clause, against the terms it was judged
 * against: words added and removed (the `diff` library's word diff), clauses
 * added or removed whole. Text is someone else's: React text nodes only.
 */
import { diffWordsWithSpace } from 'diff'
import type { Clause, ClauseChange } from '../../../src-main/api.js'

function Words({ before, after }: { before: string; after: string }) {
  if (before === after) return <span>{after}</span>
  return (
    <>
      {diffWordsWithSpace(before, after).map((part, i) =>
        part.added ? (
          <ins key={i} className="diff__ins">
            {part.value}
          </ins>
        ) : part.removed ? (
          <del key={i} className="diff__del">
            {part.value}
          </del>
        ) : (
          <span key={i}>{part.value}</span>
        ),
      )}
    </>
  )
}

export function OfferDiff({ before, changes }: { before: readonly Clause[]; changes: readonly ClauseChange[] }) {
  let terms = [...before]
  return (
    <ul className="diff plain-list">
      {changes.map((ch, i) => {
        const old = terms.find((c) => c.id === ch.clause)
        if (ch.op === 'remove') terms = terms.filter((c) => c.id !== ch.clause)
        else if (ch.op === 'add') terms = [...terms, { id: ch.clause, title: ch.title ?? '', text: ch.text ?? '' }]
        else if (old) terms = terms.map((c) => (c.id === ch.clause ? { ...c, title: ch.title ?? c.title, text: ch.text ?? c.text } : c))
        return (
          <li key={i} className={`diff__change diff__change--${ch.op}`}>
            <p className="diff__head">
              <span className="diff__op">{ch.op === 'add' ? 'Adds' : ch.op === 'remove' ? 'Removes' : 'Changes'}</span>{' '}
              <span className="mono inert-name">{ch.clause}</span>
            </p>
            {ch.op === 'remove' ? (
              old ? (
                <div className="diff__body">
                  <p className="diff__title">
                    <del className="diff__del">{old.title}</del>
                  </p>
                  <p className="diff__text">
                    <del className="diff__del">{old.text}</del>
                  </p>
                </div>
              ) : null
            ) : ch.op === 'add' ? (
              <div className="diff__body">
                <p className="diff__title">
                  <ins className="diff__ins">{ch.title}</ins>
                </p>
                <p className="diff__text">
                  <ins className="diff__ins">{ch.text}</ins>
                </p>
              </div>
            ) : (
              <div className="diff__body">
                <p className="diff__title">
                  <Words before={old?.title ?? ''} after={ch.title ?? old?.title ?? ''} />
                </p>
                <p className="diff__text">
                  <Words before={old?.text ?? ''} after={ch.text ?? old?.text ?? ''} />
                </p>
              </div>
            )}
          </li>
        )
      })}
    </ul>
  )
}
