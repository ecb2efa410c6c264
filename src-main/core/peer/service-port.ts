/**
 * The one call the sync host makes into the negotiation service: ingest of an
 * entry read from a feed (NegotiationService.ingest). Typed structurally so the
 * host depends on this call only, not on the service's whole surface.
 */
export interface RemoteIngestResult {
  readonly verdict: string
  readonly reason?: string
  readonly learnedFeeds: readonly { readonly publicKey: string; readonly feed: string }[]
}

export type RemoteIngest = (
  bytes: Uint8Array,
  opts: { source: 'remote'; feedOwner: string; negotiation: string },
) => RemoteIngestResult
