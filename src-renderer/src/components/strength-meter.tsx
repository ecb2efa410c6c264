/**
 * How hard a passphrase is to guess, from zxcvbn's 0–4 score (onboarding/
 * passphrase-strength.ts computes it). Colour is never the only signal: the
 * label says it in words and the bar is a labelled meter.
 */
export interface StrengthMeterProps {
  /** 0–4, or null while the checker loads or when there is nothing to rate. */
  score: 0 | 1 | 2 | 3 | 4 | null
  /** One short suggestion, e.g. "Add another word or two." */
  suggestion?: string | undefined
  /** Set on the element the passphrase field's aria-describedby points at. */
  id?: string
}

export const STRENGTH_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const

export function StrengthMeter({ score, suggestion, id }: StrengthMeterProps) {
  const label = score === null ? 'not rated yet' : STRENGTH_LABELS[score]
  return (
    <div className="strength" id={id}>
      <div
        className={`strength__bar strength__bar--${score ?? 'none'}`}
        role="meter"
        aria-label="Passphrase strength"
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={score ?? 0}
        aria-valuetext={label}
      >
        {[0, 1, 2, 3].map((i) => (
          // A very weak passphrase still lights one (red) cell, so the bar never reads as "nothing typed".
          <span key={i} className={score !== null && Math.max(score, 1) > i ? 'strength__cell is-on' : 'strength__cell'} />
        ))}
      </div>
      <p className="strength__text">
        {score === null ? (
          'Type a passphrase to see how hard it is to guess.'
        ) : (
          <>
            <span className="strength__label">Strength: {label}.</span>
            {suggestion ? <> {suggestion}</> : null}
          </>
        )}
      </p>
    </div>
  )
}
