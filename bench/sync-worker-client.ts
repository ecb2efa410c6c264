/** The bench side of sync-worker.ts: spawns it and sends commands as JSON lines. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('./sync-worker.ts', import.meta.url))

export interface BoundEvent {
  negotiation: string
  peer: number
  bindingHash: string | null
}

export class SyncWorker {
  private readonly child: ChildProcessWithoutNullStreams
  private nextId = 1
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  private stderr = ''

  constructor(onBound: (e: BoundEvent) => void) {
    this.child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000)
    })
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as { id?: number; ok?: boolean; result?: unknown; error?: string; event?: string } & BoundEvent
      if (msg.event === 'bound') return onBound(msg)
      const p = this.pending.get(msg.id ?? -1)
      if (!p) return
      this.pending.delete(msg.id!)
      if (msg.ok) p.resolve(msg.result)
      else p.reject(new Error(msg.error))
    })
    this.child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`sync worker exited; stderr: ${this.stderr}`))
      this.pending.clear()
    })
  }

  call<T>(op: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.child.stdin.write(JSON.stringify({ id, op, ...params }) + '\n')
    })
  }

  async close(): Promise<void> {
    const gone = new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())))
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000)
    this.call('close').catch(() => {})
    await gone
    clearTimeout(timer)
  }
}
