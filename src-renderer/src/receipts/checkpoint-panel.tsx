/**
 * The latest checkpoint (receipts.checkpoint, DESIGN section 7): a signed note
 * committing to every receipt so far, in the C2SP signed-note format that
 * transparency-log tools read. Asking for it writes a new one when receipts
 * were added since the last.
 */
import { useEffect } from 'react'
import { CopyButton } from '../components/copy-button.js'
import { ErrorNote } from '../components/error-note.js'
import { Panel } from '../components/panel.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'

export function CheckpointPanel() {
  const checkpoint = useApp((s) => s.checkpoint)
  const loadCheckpoint = useApp((s) => s.loadCheckpoint)
  useEffect(() => {
    void loadCheckpoint()
  }, [loadCheckpoint])
  const note = valueOf(checkpoint)

  return (
    <Panel title="Latest checkpoint">
      <p>
        Give this note to anyone you may need to prove something to later. It commits to every receipt so far; any change to
        them afterwards shows.
      </p>
      {checkpoint.state === 'failed' && checkpoint.error.code === 'NOT_FOUND' ? (
        <p className="muted">No checkpoint yet: one is written as soon as there is a receipt to seal.</p>
      ) : checkpoint.state === 'failed' ? (
        <ErrorNote error={checkpoint.error} />
      ) : null}
      {note ? (
        <>
          <pre className="code-block checkpoint-note">
            {note}
          </pre>
          <CopyButton text={note} label="Copy checkpoint" />
        </>
      ) : checkpoint.state === 'loading' ? (
        <p className="muted">Loading…</p>
      ) : null}
    </Panel>
  )
}
