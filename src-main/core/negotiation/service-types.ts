/** The service's public types: options, results, events, views (DESIGN section 11). */
import type { Signer } from '../crypto/signer.js'
import type { SignedEnvelope } from '../protocol/envelope.js'
import type { NegotiationState } from '../protocol/fold/state.js'
import type { Db } from '../store/database.js'
import type { Verdict } from '../store/messages.js'
import type { ReceiptSink } from './state-writer.js'
import type { TrustLedger } from './trust-ledger.js'

export type NegotiationServiceEvent =
  | { type: 'negotiation'; negotiation: string; status: string; termsHash: string }
  | { type: 'message'; negotiation: string; hash: string; author: string; messageType: string; verdict: Verdict; reason?: string }

export interface NegotiationServiceOptions {
  db: Db
  /** The unlocked identity; signer() throws LOCKED while locked. */
  identity: { signer(): Signer }
  receipts: ReceiptSink
  now?: () => number
  onEvent?: (event: NegotiationServiceEvent) => void
  /** Defaults to a ledger over the same database. */
  ledger?: TrustLedger
  /** Negotiations whose folder stays in memory. */
  cacheSize?: number
}

export interface ActionResult {
  hash: string
  /** The envelope's JCS bytes, for the sync layer to append to our feed. */
  bytes: Uint8Array
  state: NegotiationState
}

export interface CreateResult {
  negotiation: string
  genesis: SignedEnvelope
  state: NegotiationState
}

export interface IngestOptions {
  source?: 'remote'
  /** The identity whose feed carried these bytes (DESIGN section 5: a feed is bound to one author). */
  feedOwner?: string
  /** The negotiation whose feed carried them. */
  negotiation?: string
}

export interface IngestResult {
  hash: string
  verdict: Verdict
  /** A fold reason code, FEED_AUTHOR_MISMATCH, UNKNOWN_NEGOTIATION, or the TrustError code of unreadable bytes. */
  reason?: string
  /** True for an exact replay: nothing was done. */
  duplicate?: boolean
  /** Feed keys named by JOINs this message made count: the sync layer should open them. */
  learnedFeeds: { publicKey: string; feed: string }[]
}

export interface TimelineEntry {
  hash: string
  author: string
  type: string
  seq: number
  lamport: number
  time: string
  verdict: Verdict
  reason: string | null
  refs: readonly string[]
  /** The signed body (plain JSON, as parsed from the stored bytes). */
  body: Readonly<Record<string, unknown>>
  /** The strict signature check made when it was stored. */
  sigValid: boolean
}

/** One stored envelope, exactly as signed (DESIGN section 3). */
export interface StoredEnvelope {
  hash: string
  author: string
  envelope: Readonly<Record<string, unknown>>
  /** The stored JCS text; its SHA-256 is `hash`. */
  json: string
  /** The signature checked again now. */
  verified: boolean
}

export type NegotiationView = NegotiationState & { timeline: TimelineEntry[] }

export interface NegotiationSummary {
  negotiation: string
  title: string
  status: string
  participants: string[]
  deadline: string
  updated: string
  termsHash: string
  bindingHash: string | null
  /** DESIGN section 8's TIMEOUT reading of an open negotiation: the step it waits for, and on whom. */
  waitingFor: WaitingStep | null
  waitingOn: string[]
}

export type WaitingStep = 'join' | 'accept' | 'finalize'
