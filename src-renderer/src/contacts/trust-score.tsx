/** A trust score (DESIGN section 8: 0..1, starting at 0.5) as a labelled meter, a number and a word. */
import { scoreWord } from './score-word.js'

export function TrustScore({ score, name }: { score: number; name: string }) {
  const clamped = Math.min(1, Math.max(0, score))
  const word = scoreWord(clamped)
  return (
    <div className={`score score--${word}`}>
      <div
        className="score__bar"
        role="meter"
        aria-label={`Trust score of ${name}`}
        aria-valuemin={0}
        aria-valuemax={1}
        aria-valuenow={clamped}
        aria-valuetext={`${clamped.toFixed(2)} of 1, ${word}`}
      >
        <span className="score__fill" style={{ width: `${clamped * 100}%` }} />
        <span className="score__start" aria-hidden="true" />
      </div>
      <span className="score__value" aria-hidden="true">
        {clamped.toFixed(2)} <span className="score__word">{word}</span>
      </span>
    </div>
  )
}
