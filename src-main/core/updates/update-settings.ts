/**
 * The persisted Settings switch for automatic update checks (DESIGN.md section
 * 12): `{"autoCheck": boolean}` in one small JSON file, on unless the user
 * turned it off. A missing or unreadable file means the default; a write goes
 * to a temporary file first and is renamed over the old one, so a crash leaves
 * the old setting or the new one, never half a file.
 */
import fs from 'node:fs'
import path from 'node:path'

export interface UpdateSettings {
  autoCheck: boolean
}

export const DEFAULT_UPDATE_SETTINGS: Readonly<UpdateSettings> = { autoCheck: true }

export const UPDATE_SETTINGS_FILE = 'update-settings.json'

/** The file is tiny; anything larger is not ours. */
const MAX_BYTES = 4096

export function readUpdateSettings(dir: string): UpdateSettings {
  const file = path.join(dir, UPDATE_SETTINGS_FILE)
  try {
    if (fs.statSync(file).size > MAX_BYTES) return { ...DEFAULT_UPDATE_SETTINGS }
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as UpdateSettings).autoCheck === 'boolean') {
      return { autoCheck: (parsed as UpdateSettings).autoCheck }
    }
  } catch {
    // missing or damaged: the default (checking on) is the safe side
  }
  return { ...DEFAULT_UPDATE_SETTINGS }
}

export function writeUpdateSettings(dir: string, settings: UpdateSettings): void {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, UPDATE_SETTINGS_FILE)
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, `${JSON.stringify({ autoCheck: settings.autoCheck })}\n`, { mode: 0o600 })
  fs.renameSync(tmp, file)
}
