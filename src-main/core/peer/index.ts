/** A profile on the network: negotiations replicated peer to peer (DESIGN sections 4 and 5). */
export { NegotiationPeer, DEFAULT_SEED_WAIT_MS } from './negotiation-peer.js'
export type {
  CreatedNegotiation,
  EvidenceEvent,
  MessageEvent,
  NegotiationEvent,
  NegotiationPeerEvents,
  NegotiationPeerOptions,
} from './negotiation-peer.js'
export { ServiceSyncHost } from './sync-host.js'
export { PeerRecords, type FeedForkRow, type IncidentRow, type MembershipState, type PeerNegotiationRow } from './peer-records.js'
export { NegotiationSeeders } from './negotiation-seeders.js'
