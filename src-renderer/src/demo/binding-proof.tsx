/**
 * The proof, plainly: the binding hash each side computed on its own, whether
 * they are the same, and a way to check the agreement offline (the Verify view,
 * on the bundle one side exports).
 */
import { useState } from 'react'
import type { ApiError, DemoState } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { ErrorNote } from '../components/error-note.js'
import { useApp } from '../state/store-context.js'

export function BindingProof({ demo }: { demo: DemoState }) {
  const demoExport = useApp((s) => s.demoExport)
  const openInVerify = useApp((s) => s.openInVerify)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [alice, bob] = demo.parties
  const hashes = [alice?.state?.bindingHash ?? null, bob?.state?.bindingHash ?? null]

  const verify = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    const result = await demoExport('alice')
    setBusy(false)
    if (!result.ok) return setError(result.error)
    openInVerify({ name: result.value.name, text: result.value.text })
  }

  let verdict
  if (demo.sameBindingHash) {
    verdict = (
      <p className="demo-proof__verdict is-same" data-proof="same">
        Both sides computed the same binding hash, each on its own: <span className="mono wrap">{hashes[0]}</span>
      </p>
    )
  } else if (hashes[0] !== null && hashes[1] !== null) {
    verdict = (
      <p className="demo-proof__verdict is-different" data-proof="different">
        The sides computed different binding hashes.
      </p>
    )
  } else {
    verdict = (
      <p className="demo-proof__verdict" data-proof="none">
        No binding yet. {hashes[0] !== null || hashes[1] !== null ? 'One side has bound; the other has not received the last signature yet.' : 'It exists once both have signed the same terms.'}
      </p>
    )
  }
  return (
    <section className="demo-proof" aria-labelledby="demo-proof-title">
      <h2 className="demo-proof__title" id="demo-proof-title">
        Proof
      </h2>
      <div role="status">{verdict}</div>
      <Button onClick={() => void verify()} busy={busy} disabled={demo.negotiation === null}>
        Export and verify this agreement
      </Button>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  )
}
