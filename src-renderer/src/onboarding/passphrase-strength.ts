/**
 * Passphrase strength with zxcvbn-ts (a maintained port of Dropbox's zxcvbn):
 * dictionaries, keyboard patterns, l33t, dates. Its dictionaries weigh a few MB,
 * so they load on demand, in their own chunks, the first time a screen asks: the
 * first screen stays fast.
 */
export interface Strength {
  score: 0 | 1 | 2 | 3 | 4
  /** zxcvbn's warning or first suggestion, when it has one. */
  suggestion?: string
}

export type StrengthChecker = (passphrase: string, userInputs: readonly string[]) => Strength

/** The weakest score a new passphrase may have ("Fair"). */
export const MIN_SCORE = 2

let checker: Promise<StrengthChecker> | null = null

export function loadStrengthChecker(): Promise<StrengthChecker> {
  checker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]).then(
    ([core, common, en]) => {
      const zxcvbn = new core.ZxcvbnFactory({
        translations: en.translations,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary, ...en.dictionary },
      })
      return (passphrase, userInputs) => {
        const result = zxcvbn.check(passphrase, [...userInputs])
        const suggestion = result.feedback.warning || result.feedback.suggestions[0]
        return suggestion ? { score: result.score, suggestion } : { score: result.score }
      }
    },
  )
  checker.catch(() => {
    checker = null // a failed chunk load may succeed next time
  })
  return checker
}

/** Passphrase length in code points, as the core counts it (DESIGN section 2: 8 to 1024). */
export function codePointLength(text: string): number {
  return [...text].length
}
