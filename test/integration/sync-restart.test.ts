/**
 * Restart resumes from disk (DESIGN section 5): the ingest cursors in
 * sync-state.json mean a restarted peer hands the host only what is new, keeps
 * its feed key, and entries written while it was offline flow both ways on
 * reconnect. A damaged state file is refused, never overwritten.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Replicator } from '../../src-main/core/sync/index.js'
import { appendNotes, holds, startNegotiation, SyncWorld, waitFor } from '../fixtures/sync-peers.js'

let world: SyncWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 30_000)

describe('restart from disk', () => {
  it('resumes from the saved cursors, and offline entries reach the others on reconnect', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const b = await world.peer('b')
    const { id } = await startNegotiation(a, [b])
    await appendNotes(a, id, 1, 10, 'before')
    await waitFor(() => holds(b, id, a, 11) && holds(a, id, b, 1), 'the first round')
    const bFeed = b.replicator.ownFeedKey(id)

    await world.stop(b)
    const callsBefore = b.host.ingestCalls
    await appendNotes(a, id, 11, 4, 'while b was away')
    // b's replicator is closed: writing to it is refused, not silently lost.
    await expect(b.replicator.append(id, new Uint8Array([1]))).rejects.toMatchObject({ code: 'CLOSED' })
    await world.start(b)
    expect(b.replicator.ownFeedKey(id)).toBe(bFeed)
    await waitFor(() => holds(b, id, a, 15), "a's offline entries to reach b")
    // Only the 4 new entries were handed to b's host: nothing was re-ingested.
    expect(b.host.ingestCalls - callsBefore).toBe(4)

    // Now a is away while b writes; a restarts and catches up.
    await world.stop(a)
    await appendNotes(b, id, 1, 3, 'while a was away')
    await world.start(a)
    await waitFor(() => holds(a, id, b, 4), "b's offline entries to reach a")
    expect(a.host.entriesOf(id, b.signer.publicKey)).toHaveLength(4)
    expect(a.host.rejected.concat(b.host.rejected)).toEqual([])
  }, 90_000)

  it('a damaged sync-state.json is refused with DB_CORRUPT and left as it was', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    await startNegotiation(a, [])
    await world.stop(a)
    const path = join(a.dir, 'sync-state.json')
    for (const bad of ['{"version":1,"negotiations":{', '{"version":2,"negotiations":{}}', '{"version":1,"negotiations":{},"version":1}']) {
      writeFileSync(path, bad)
      expect(() => new Replicator({ storeDir: a.dir, network: world!.network, signer: a.signer, host: a.host })).toThrow(
        expect.objectContaining({ code: 'DB_CORRUPT' }),
      )
      expect(readFileSync(path, 'utf8')).toBe(bad)
    }
  }, 60_000)
})
