/**
 * Agreement files the app is opened with (DESIGN.md section 12): the first
 * launch's command line, a second launch's (forwarded by the single-instance
 * lock) and macOS's `open-file`, read and queued by the core
 * (src-main/core/bundle/opened-file.ts) for `files.takeOpened`. Must be
 * registered before `ready`: macOS names the file before then.
 */
import { app } from 'electron'
import { bundlePathsFromArgv, readOpenedFile, type OpenedFileQueue } from '../core/bundle/opened-file.js'

export function watchOpenedFiles(queue: OpenedFileQueue): void {
  const add = async (paths: string[]): Promise<void> => {
    for (const filePath of paths) queue.push(await readOpenedFile(filePath))
  }
  app.on('open-file', (event, filePath) => {
    event.preventDefault()
    void add(bundlePathsFromArgv([filePath], process.cwd()))
  })
  app.on('second-instance', (_event, argv, workingDirectory) => {
    void add(bundlePathsFromArgv(argv.slice(1), workingDirectory))
  })
  void add(bundlePathsFromArgv(process.argv.slice(1), process.cwd()))
}
