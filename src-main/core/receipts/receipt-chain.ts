/**
 * The user's receipt log over the local store (DESIGN section 7): appends
 * signed, hash-linked receipts, writes a signed checkpoint every N receipts or
 * on demand, admits a checkpoint only if it is consistent with the last good
 * one (RFC 9162 2.1.4), keeps refused ones as evidence, and serves inclusion
 * proofs.
 *
 * A MerkleTree of the stored hashes is cached in memory so checkpoints and
 * proofs cost O(log n). The cache is trusted only while the store's last
 * (seq, hash) is the one it ends with; otherwise (an outer transaction rolled
 * back, another writer) it is rebuilt from the store.
 */
import { TrustError } from '../errors.js'
import { sha256, sha256Hex } from '../crypto/hash.js'
import { bytesToHex, hexToBytes } from '../crypto/hex.js'
import { parsePublicKey } from '../crypto/ed25519.js'
import type { Signer } from '../crypto/signer.js'
import type { Db } from '../store/database.js'
import { ReceiptStore, type CheckpointRow, type ReceiptHead } from '../store/receipts.js'
import { GENESIS_PREV, parseReceiptBytes, signReceiptBytes, type Receipt, type ReceiptData } from './receipt.js'
import { formatCheckpoint, parseCheckpoint, verifyCheckpoint } from './checkpoint.js'
import { MerkleTree } from './merkle-tree.js'
import { equalBytes, hashLeaf, verifyConsistency } from './merkle.js'
import { verifyChain, type ChainReport } from './verify-chain.js'
import { verifyReceiptProof, type ReceiptProof } from './receipt-proof.js'

export interface AppendInput {
  action: string
  negotiation?: string | null
  ref?: string | null
  data?: ReceiptData
  /** The caller's clock (ISO 8601 UTC with ms): the core reads no clock for receipts. */
  time: string
}

export interface ChainOptions {
  /** Write a checkpoint automatically after every this many receipts. Default 1,000. */
  checkpointEvery?: number
}

export interface StoredReceipt {
  receipt: Receipt
  hash: string
}

type Admission = { note: string } | { refused: TrustError }
type AppendFields = Omit<Receipt, 'seq' | 'prev' | 'sig'>

const INPUT_KEYS = new Set(['action', 'negotiation', 'ref', 'data', 'time'])
const MAX_LIST = 1000

export class ReceiptChain {
  static readonly verifyReceiptProof = verifyReceiptProof

  readonly publicKey: string
  private readonly store: ReceiptStore
  private readonly every: number
  private tree: MerkleTree | null = null
  private treeHead: string | null = null
  /** One transaction function for every append (a savepoint inside the caller's transaction), built once. */
  private readonly appendTx: (fields: AppendFields, signer: Signer) => Receipt

  constructor(
    private readonly db: Db,
    publicKeyHex: string,
    options: ChainOptions = {},
  ) {
    parsePublicKey(publicKeyHex, 'receipt chain key')
    this.publicKey = publicKeyHex
    this.every = options.checkpointEvery ?? 1000
    if (!Number.isSafeInteger(this.every) || this.every < 1) throw TrustError.invalidInput('checkpointEvery must be a positive integer')
    this.store = new ReceiptStore(db)
    this.appendTx = db.transaction((fields: AppendFields, signer: Signer) => this.appendNext(fields, signer))
  }

  /**
   * Signs and stores the next receipt, and the automatic checkpoint when one is due,
   * in one transaction (a savepoint inside the caller's own transaction). If the
   * checkpoint is refused, nothing is stored and INCONSISTENT_CHECKPOINT is thrown.
   */
  append(input: AppendInput, signer: Signer): Receipt {
    this.checkSigner(signer)
    return this.appendTx(checkInput(input), signer)
  }

  private appendNext(fields: AppendFields, signer: Signer): Receipt {
    // The store's head, read each time: the only sure way to see that an outer transaction rolled back.
    const head = this.store.head()
    const tree = this.syncedTree(head)
    const seq = head === undefined ? 0 : head.seq + 1
    // signReceiptBytes checks every field, the caller's and these, before anything is signed or stored.
    const { receipt, bytes } = signReceiptBytes({ seq, prev: head?.hash ?? GENESIS_PREV, ...fields }, signer)
    const digest = sha256(bytes)
    const hash = bytesToHex(digest)
    this.store.insertReceipt(seq, hash, bytes)
    tree.push(hashLeaf(digest))
    this.treeHead = hash
    if ((seq + 1) % this.every === 0) {
      const admitted = this.writeCheckpoint(signer)
      if ('refused' in admitted) throw admitted.refused
    }
    // Fresh, not aliased to the caller's data (signReceiptBytes parsed it back from `bytes`, its exact JCS).
    return receipt
  }

  /** Signs a checkpoint of every receipt so far; the last one if nothing was added since. */
  checkpoint(signer: Signer): string {
    this.checkSigner(signer)
    return settle(this.db.transaction(() => this.writeCheckpoint(signer))())
  }

  /**
   * Imports a checkpoint note signed by this chain's key (a restore, or one found
   * elsewhere). Same rules as our own: a bad note is refused and not stored; one that
   * is inconsistent with the last good checkpoint or the local receipts is kept as
   * evidence and refused with INCONSISTENT_CHECKPOINT.
   */
  addCheckpoint(note: string): string {
    const cp = verifyCheckpoint(note, this.publicKey)
    return settle(
      this.db.transaction((): Admission => {
        const known = this.store.goodCheckpointWithNote(note)
        if (known !== undefined) return { note: known.note }
        return this.admit(note, cp.size, cp.root, this.syncedTree(this.store.head()))
      })(),
    )
  }

  latestCheckpoint(): string | null {
    return this.store.latestGoodCheckpoint()?.note ?? null
  }

  /** Refused checkpoints, kept as evidence, oldest first. */
  refusedCheckpoints(): CheckpointRow[] {
    return this.store.allCheckpoints().filter((c) => c.status === 'refused')
  }

  size(): number {
    const head = this.store.head()
    return head === undefined ? 0 : head.seq + 1
  }

  /** Receipts from seq `from` (default 0), at most `limit` (default 100, at most 1,000). */
  list(options: { from?: number; limit?: number } = {}): StoredReceipt[] {
    const from = options.from ?? 0
    const limit = options.limit ?? 100
    if (!Number.isSafeInteger(from) || from < 0) throw TrustError.invalidInput('from must be a non-negative integer')
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST) throw TrustError.invalidInput(`limit must be 1 to ${MAX_LIST}`)
    return this.store.receiptBytes(from, limit).map((bytes) => ({ receipt: parseReceiptBytes(bytes), hash: sha256Hex(bytes) }))
  }

  /** Count of receipts and checkpoints, and the latest good checkpoint: cheap, nothing verified. */
  summary(): { count: number; checkpoints: number; refusedCheckpoints: number; latestCheckpoint: { size: number; recordedAt: string } | null } {
    const counts = this.store.checkpointCounts()
    const latest = this.store.latestGoodCheckpoint()
    return {
      count: this.size(),
      checkpoints: counts.good,
      refusedCheckpoints: counts.refused,
      latestCheckpoint: latest === undefined ? null : { size: latest.size, recordedAt: latest.recordedAt },
    }
  }

  /** Good checkpoints with size >= `from` (default 0), by size, at most `limit` (default 100, at most 1,000). */
  checkpointList(options: { from?: number; limit?: number } = {}): { size: number; recordedAt: string }[] {
    const from = options.from ?? 0
    const limit = options.limit ?? 100
    if (!Number.isSafeInteger(from) || from < 0) throw TrustError.invalidInput('from must be a non-negative integer')
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST) throw TrustError.invalidInput(`limit must be 1 to ${MAX_LIST}`)
    return this.store.goodCheckpointSizes(from, limit)
  }

  /**
   * Inclusion proof of receipt `seq` in the latest good checkpoint that covers it.
   * If none does yet, one is written, which needs the signer (LOCKED without it).
   */
  proof(seq: number, signer?: Signer): ReceiptProof {
    if (!Number.isSafeInteger(seq) || seq < 0) throw TrustError.invalidInput('seq must be a non-negative integer')
    if (seq >= this.size()) throw TrustError.notFound(`receipt ${seq}`)
    let cp = this.store.goodCheckpointCovering(seq)
    if (cp === undefined) {
      if (signer === undefined) throw TrustError.locked()
      this.checkpoint(signer)
      cp = this.store.goodCheckpointCovering(seq)
      if (cp === undefined) throw new TrustError('INTERNAL', `no checkpoint covers receipt ${seq} after writing one`)
    }
    const tree = this.syncedTree(this.store.head())
    if (cp.size > tree.size) throw new TrustError('BAD_CHAIN', `the checkpoint at size ${cp.size} covers receipts this store no longer has`)
    return {
      seq,
      leafHash: bytesToHex(tree.subtree(seq, seq + 1)),
      treeSize: cp.size,
      proof: tree.inclusionProof(seq, cp.size).map(bytesToHex),
      checkpoint: cp.note,
    }
  }

  verifyChain(): ChainReport {
    return verifyChain(this.store, this.publicKey)
  }

  private writeCheckpoint(signer: Signer): Admission {
    const tree = this.syncedTree(this.store.head())
    const root = tree.root()
    const last = this.store.latestGoodCheckpoint()
    if (last !== undefined && last.size === tree.size && last.root === bytesToHex(root)) return { note: last.note }
    return this.admit(formatCheckpoint(tree.size, root, signer), tree.size, root, tree)
  }

  /** The consistency rules every new good checkpoint passes (DESIGN section 7). */
  private admit(note: string, size: number, root: Uint8Array, tree: MerkleTree): Admission {
    const refuse = (reason: string): Admission => {
      this.store.insertCheckpoint({ size, root: bytesToHex(root), note, status: 'refused', reason })
      return { refused: new TrustError('INCONSISTENT_CHECKPOINT', reason, { size }) }
    }
    const last = this.store.latestGoodCheckpoint()
    if (last !== undefined) {
      const lastRoot = parseCheckpoint(last.note).root
      if (size < last.size) return refuse(`size ${size} is below the last checkpoint's ${last.size}`)
      if (size === last.size) {
        return equalBytes(root, lastRoot) ? { note: last.note } : refuse(`a different root at size ${size} than the last checkpoint's`)
      }
    }
    if (size > tree.size) return refuse(`it covers ${size} receipts; this store has ${tree.size}`)
    if (!equalBytes(root, tree.root(size))) return refuse(`its root is not the root of the ${size} stored receipts`)
    if (last !== undefined) {
      try {
        const proof = tree.consistencyProof(last.size, size)
        verifyConsistency(last.size, size, parseCheckpoint(last.note).root, root, proof)
      } catch (err) {
        return refuse(`not consistent with the checkpoint at size ${last.size}: ${TrustError.from(err).message}`)
      }
    }
    this.store.insertCheckpoint({ size, root: bytesToHex(root), note, status: 'good', reason: null })
    return { note }
  }

  /** The cached tree if it ends where the store does, else rebuilt from the stored hashes. */
  private syncedTree(head: ReceiptHead | undefined): MerkleTree {
    const size = head === undefined ? 0 : head.seq + 1
    if (this.tree !== null && this.tree.size === size && this.treeHead === (head?.hash ?? null)) return this.tree
    const tree = new MerkleTree()
    for (const h of this.store.hashesFrom(0)) tree.push(hashLeaf(hexToBytes(h, 32)))
    if (tree.size !== size) throw new TrustError('BAD_CHAIN', `the store has ${tree.size} receipts but its last is seq ${size - 1}`)
    this.tree = tree
    this.treeHead = head?.hash ?? null
    return tree
  }

  private checkSigner(signer: Signer): void {
    if (signer.publicKey !== this.publicKey) throw TrustError.badKey('the signer is not the key of this receipt chain')
  }
}

function settle(admission: Admission): string {
  if ('refused' in admission) throw admission.refused
  return admission.note
}

function checkInput(input: AppendInput): AppendFields {
  if (typeof input !== 'object' || input === null) throw TrustError.invalidInput('a receipt input must be an object')
  for (const key of Object.keys(input)) {
    if (!INPUT_KEYS.has(key)) throw TrustError.invalidInput(`unknown receipt field ${JSON.stringify(key)}`)
  }
  // Every field is checked by signReceiptBytes before anything is signed or stored.
  return {
    time: input.time,
    action: input.action,
    negotiation: input.negotiation ?? null,
    ref: input.ref ?? null,
    data: input.data ?? {},
  }
}
