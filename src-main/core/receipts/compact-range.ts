/**
 * The root of a growing Merkle tree in O(log n) memory: a stack of the roots of
 * the perfect subtrees the leaves so far decompose into (one per set bit of the
 * size). Appending merges equal-sized neighbours, one node hash per merge, so a
 * tree of n leaves costs about n node hashes in all; the root folds the stack
 * right to left, which is RFC 9162 2.1.1's MTH for any size, perfect or not.
 */
import { EMPTY_ROOT, HASH_BYTES, hashChildren, hashHexLeafInto, hashPairInPlace } from './merkle.js'

export class CompactRange {
  /** Stack slots of 32 bytes each; 64 slots cover every safe-integer size. */
  private readonly stack = Buffer.alloc(64 * HASH_BYTES)
  private top = 0
  private count = 0

  get size(): number {
    return this.count
  }

  /** Appends one leaf hash H(0x00 || leaf). */
  push(leafHash: Uint8Array): void {
    this.stack.set(leafHash, this.top * HASH_BYTES)
    this.grow()
  }

  /** Appends the 32-byte leaf given in hex (a receipt hash), hashing it as H(0x00 || leaf) in place. */
  pushHexLeaf(leafHex: string): void {
    hashHexLeafInto(leafHex, this.stack, this.top * HASH_BYTES)
    this.grow()
  }

  private grow(): void {
    this.top++
    this.count++
    // Each trailing zero bit of the new size is one pair of equal subtrees to merge.
    for (let n = this.count; n % 2 === 0; n /= 2) {
      hashPairInPlace(this.stack, (this.top - 2) * HASH_BYTES)
      this.top--
    }
  }

  /** MTH of every leaf pushed so far. */
  root(): Uint8Array {
    if (this.top === 0) return EMPTY_ROOT
    let r: Uint8Array = this.slot(this.top - 1)
    for (let i = this.top - 2; i >= 0; i--) r = hashChildren(this.slot(i), r)
    return new Uint8Array(r)
  }

  private slot(i: number): Buffer {
    return this.stack.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)
  }
}
