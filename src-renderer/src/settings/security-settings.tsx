/** Settings, Security: when the key locks itself, lock now, the passphrase, the backup. */
import { useEffect, useId, useState } from 'react'
import { Button } from '../components/button.js'
import { ErrorNote } from '../components/error-note.js'
import { Panel } from '../components/panel.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import { ChangePassphraseDialog } from './change-passphrase-dialog.js'
import { describeDuration, LOCK_CHOICES_MS } from './lock-timeout.js'
import { useExportBackup } from './use-export-backup.js'

export function SecuritySettings() {
  const settings = useApp((s) => s.settings)
  const loadSettings = useApp((s) => s.loadSettings)
  const updateSettings = useApp((s) => s.updateSettings)
  const lock = useApp((s) => s.lockIdentity)
  const notify = useApp((s) => s.notify)
  const [saving, setSaving] = useState(false)
  const { exporting, exportBackup } = useExportBackup()
  const selectId = useId()

  useEffect(() => {
    void loadSettings()
  }, [loadSettings])

  const current = valueOf(settings)?.idleLockMs
  const choices = current !== undefined && !(LOCK_CHOICES_MS as readonly number[]).includes(current) ? [current, ...LOCK_CHOICES_MS] : LOCK_CHOICES_MS

  async function choose(ms: number): Promise<void> {
    setSaving(true)
    const result = await updateSettings({ idleLockMs: ms })
    setSaving(false)
    if (result.ok) notify({ tone: 'success', title: `Locks after ${describeDuration(ms)} without activity` })
    else notify({ tone: 'error', title: 'The lock timeout was not changed', body: result.error.message })
  }

  return (
    <div className="stack-lg">
      <Panel title="Automatic lock">
        <p>Your key is wiped from memory when the app has been idle this long. Unlocking needs your passphrase again.</p>
        {settings.state === 'failed' ? <ErrorNote error={settings.error} /> : null}
        <div className="field field--inline">
          <label className="field__label" htmlFor={selectId}>
            Lock after
          </label>
          <select
            id={selectId}
            className="field__select"
            value={current ?? ''}
            disabled={current === undefined || saving}
            onChange={(e) => void choose(Number(e.target.value))}
          >
            {current === undefined ? <option value="">Loading…</option> : null}
            {choices.map((ms) => (
              <option key={ms} value={ms}>
                {ms === 0 ? 'Never' : describeDuration(ms)}
              </option>
            ))}
          </select>
        </div>
        <Button onClick={() => void lock().then((r) => !r.ok && notify({ tone: 'error', title: 'Could not lock', body: r.error.message }))}>
          Lock now
        </Button>
      </Panel>
      <Panel title="Passphrase">
        <p>Change the passphrase that unlocks your key on this device.</p>
        <ChangePassphraseDialog />
      </Panel>
      <Panel title="Backup">
        <p>A backup file holds your key sealed with your current passphrase. With it you can restore your identity on another device.</p>
        <Button onClick={() => void exportBackup()} busy={exporting}>
          Export backup file
        </Button>
      </Panel>
    </div>
  )
}
