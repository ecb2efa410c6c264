/** A passphrase input with a Show/Hide toggle; never autocompleted into other sites' fields. */
import { forwardRef, useState } from 'react'
import { TextField, type TextFieldProps } from './text-field.js'

export type PassphraseFieldProps = Omit<TextFieldProps, 'type' | 'trailing'>

export const PassphraseField = forwardRef<HTMLInputElement, PassphraseFieldProps>(function PassphraseField(props, ref) {
  const [visible, setVisible] = useState(false)
  return (
    <TextField
      ref={ref}
      type={visible ? 'text' : 'password'}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      {...props}
      trailing={
        <button
          type="button"
          className="field__toggle"
          aria-pressed={visible}
          aria-label={visible ? `Hide ${props.label.toLowerCase()}` : `Show ${props.label.toLowerCase()}`}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? 'Hide' : 'Show'}
        </button>
      }
    />
  )
})
