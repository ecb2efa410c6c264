/**
 * Copies a text to the clipboard and says so next to the button (announced
 * politely). Where the page may not write the clipboard, it says to copy by
 * hand; the text is always on screen next to it.
 */
import { useEffect, useState } from 'react'
import { Button, type ButtonVariant } from './button.js'
import '../styles/share.css'

export function CopyButton({ text, label, variant = 'secondary' }: { text: string; label: string; variant?: ButtonVariant }) {
  const [outcome, setOutcome] = useState<'idle' | 'copied' | 'failed'>('idle')

  useEffect(() => {
    if (outcome !== 'copied') return
    const timer = setTimeout(() => setOutcome('idle'), 3000)
    return () => clearTimeout(timer)
  }, [outcome])

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(text)
      setOutcome('copied')
    } catch {
      setOutcome('failed')
    }
  }

  return (
    <span className="copy">
      <Button variant={variant} onClick={() => void copy()}>
        {label}
      </Button>
      <span className={outcome === 'failed' ? 'copy__status copy__status--failed' : 'copy__status'} role="status" aria-live="polite">
        {outcome === 'copied' ? 'Copied.' : outcome === 'failed' ? 'Could not copy here: select the text and copy it yourself.' : ''}
      </span>
    </span>
  )
}
