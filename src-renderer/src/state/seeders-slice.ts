/**
 * Seeders (DESIGN section 5): the profile's list and those invites named, with
 * their state, and whether everything we signed has reached one. Refreshed by
 * `seeder` events (connections, refusals) and by `message` and `peer` events
 * (what we signed, and what seeders hold, move with them); a seeder taking in
 * our feed has no event of its own, so the Seeders tab also offers a refresh.
 */
import type { ApiResult, PublicKeyHex, SeederInfo, SeedingStatus } from '../../../src-main/api.js'
import { coalesce } from './coalesce.js'
import { IDLE, loadingFrom, settled, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

export interface SeedersSlice {
  seeders: Remote<SeederInfo[]>
  seeding: Remote<SeedingStatus>
  /** Loads the list and the seeding status. */
  loadSeeders(): Promise<void>
  addSeeder(publicKey: PublicKeyHex): Promise<ApiResult<SeederInfo>>
  removeSeeder(publicKey: PublicKeyHex): Promise<ApiResult<null>>
}

export const createSeedersSlice: SliceCreator<SeedersSlice> = (set, get, client) => {
  const loadSeeders = coalesce(async () => {
    set({ seeders: loadingFrom(get().seeders), seeding: loadingFrom(get().seeding) })
    const [list, status] = await Promise.all([client.call('seeders.list'), client.call('seeders.status')])
    set({ seeders: settled(get().seeders, list), seeding: settled(get().seeding, status) })
  })
  return {
    seeders: IDLE,
    seeding: IDLE,
    loadSeeders,
    async addSeeder(publicKey) {
      const result = await client.call('seeders.add', { publicKey })
      if (result.ok) await loadSeeders()
      return result
    },
    async removeSeeder(publicKey) {
      const result = await client.call('seeders.remove', { publicKey })
      if (result.ok) await loadSeeders()
      return result
    },
  }
}
