/** Export the identity backup as a file, reporting the outcome in a toast. */
import { useState } from 'react'
import { useApp } from '../state/store-context.js'
import { downloadText, safeFileStem } from './download-text.js'

export function useExportBackup(): { exporting: boolean; exportBackup(): Promise<void> } {
  const exportBackup = useApp((s) => s.exportBackup)
  const notify = useApp((s) => s.notify)
  const name = useApp((s) => (s.identity.state === 'ready' ? s.identity.value.name : undefined))
  const [exporting, setExporting] = useState(false)
  return {
    exporting,
    async exportBackup() {
      setExporting(true)
      const result = await exportBackup()
      setExporting(false)
      if (!result.ok) {
        notify({ tone: 'error', title: 'The backup was not exported', body: result.error.message })
        return
      }
      downloadText(`trust-backup-${safeFileStem(name ?? '')}.json`, result.value.blob)
      notify({
        tone: 'success',
        title: 'Backup saved',
        body: 'Keep it somewhere safe, away from this device. It opens only with your current passphrase.',
      })
    },
  }
}
