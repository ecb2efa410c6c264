/** Receipts, checkpoints and Merkle proofs (DESIGN section 7). */
export { ReceiptChain, type AppendInput, type ChainOptions, type StoredReceipt } from './receipt-chain.js'
export type { ChainReport } from './verify-chain.js'
export { verifyReceiptProof, type ReceiptProof } from './receipt-proof.js'
export {
  GENESIS_PREV,
  MAX_DATA_BYTES,
  parseReceipt,
  parseReceiptBytes,
  receiptBytes,
  receiptHash,
  verifyReceiptSignature,
  type Receipt,
  type ReceiptData,
  type UnsignedReceipt,
} from './receipt.js'
export { formatCheckpoint, parseCheckpoint, verifyCheckpoint, type Checkpoint } from './checkpoint.js'
export {
  EMPTY_ROOT,
  consistencyProof,
  hashChildren,
  hashLeaf,
  inclusionProof,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js'
