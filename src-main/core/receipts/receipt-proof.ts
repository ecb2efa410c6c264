/**
 * An inclusion proof of one receipt in a signed checkpoint (DESIGN section 7):
 * shows one receipt to a third party without revealing the others. The
 * verifier needs only the receipt, the proof and the owner's public key.
 */
import { TrustError } from '../errors.js'
import { parsePublicKey } from '../crypto/ed25519.js'
import { bytesToHex, hexToBytes, isHex } from '../crypto/hex.js'
import { parseReceipt, receiptHash, verifyReceiptSignature, type Receipt } from './receipt.js'
import { verifyCheckpoint } from './checkpoint.js'
import { hashLeaf, verifyInclusion } from './merkle.js'

export interface ReceiptProof {
  seq: number
  /** RFC 6962 leaf hash H(0x00 || receipt hash), hex. */
  leafHash: string
  treeSize: number
  /** Audit path, leaf to root (RFC 9162 2.1.3.1), hex. */
  proof: string[]
  /** The signed note the proof leads to. */
  checkpoint: string
}

const MAX_PATH = 64

/**
 * Throws unless `receipt` is correctly signed by `publicKeyHex` and is leaf
 * `seq` of the tree that the checkpoint, signed by the same key, commits to.
 * Codes: BAD_KEY, BAD_RECEIPT, BAD_SIGNATURE, BAD_CHECKPOINT, BAD_PROOF.
 */
export function verifyReceiptProof(receipt: unknown, proof: unknown, publicKeyHex: string): void {
  parsePublicKey(publicKeyHex)
  const r: Receipt = parseReceipt(receipt)
  if (!verifyReceiptSignature(r, publicKeyHex)) throw TrustError.badSignature(`receipt ${r.seq} is not signed by ${publicKeyHex}`)
  const p = parseProof(proof)
  if (p.seq !== r.seq) throw badProof(`the proof is for seq ${p.seq}, the receipt is seq ${r.seq}`)
  const cp = verifyCheckpoint(p.checkpoint, publicKeyHex)
  if (cp.size !== p.treeSize) throw badProof(`the proof is for a tree of ${p.treeSize}, the checkpoint has ${cp.size}`)
  const leaf = hashLeaf(hexToBytes(receiptHash(r), 32))
  if (bytesToHex(leaf) !== p.leafHash) throw badProof('the leaf hash is not the hash of this receipt')
  verifyInclusion(leaf, r.seq, cp.size, p.proof.map((h) => hexToBytes(h, 32)), cp.root)
}

function parseProof(value: unknown): ReceiptProof {
  if (typeof value !== 'object' || value === null) throw badProof('a proof must be an object')
  const v = value as Record<string, unknown>
  if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 0) throw badProof('seq must be a non-negative integer')
  if (!Number.isSafeInteger(v.treeSize) || (v.treeSize as number) < 1) throw badProof('treeSize must be a positive integer')
  if (!isHex(v.leafHash, 32)) throw badProof('leafHash must be 64 lowercase hex characters')
  if (!Array.isArray(v.proof) || v.proof.length > MAX_PATH || !v.proof.every((h) => isHex(h, 32))) {
    throw badProof(`proof must be at most ${MAX_PATH} hashes of 64 lowercase hex characters`)
  }
  if (typeof v.checkpoint !== 'string') throw badProof('checkpoint must be the signed note text')
  return {
    seq: v.seq as number,
    leafHash: v.leafHash,
    treeSize: v.treeSize as number,
    proof: [...(v.proof as string[])],
    checkpoint: v.checkpoint,
  }
}

function badProof(text: string): TrustError {
  return new TrustError('BAD_PROOF', text)
}
