/**
 * An append-only Merkle tree that keeps every complete node, level by level, in
 * flat buffers (about 64 bytes per leaf). Any past root and any inclusion or
 * consistency proof then costs O(log n) hashes instead of rehashing the leaves:
 * what the receipt chain needs to check each new checkpoint against the last
 * (RFC 9162 2.1.4) every 1,000 receipts without quadratic work.
 */
import { TrustError } from '../errors.js'
import { EMPTY_ROOT, HASH_BYTES, consistencyProof, hashChildren, inclusionProof, isPowerOfTwo, splitPoint } from './merkle.js'

class HashLevel {
  private buf = Buffer.alloc(HASH_BYTES * 64)
  length = 0

  push(h: Uint8Array): void {
    if ((this.length + 1) * HASH_BYTES > this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2)
      this.buf.copy(bigger)
      this.buf = bigger
    }
    this.buf.set(h, this.length * HASH_BYTES)
    this.length++
  }

  get(i: number): Buffer {
    return this.buf.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)
  }
}

export class MerkleTree {
  /** levels[k][j] = MTH of leaves [j * 2^k, (j + 1) * 2^k). */
  private readonly levels: HashLevel[] = [new HashLevel()]

  get size(): number {
    return this.levels[0]!.length
  }

  /** Appends a leaf hash H(0x00 || leaf) and every node it completes. */
  push(leafHash: Uint8Array): void {
    let node: Uint8Array = leafHash
    for (let k = 0; ; k++) {
      const level = this.levels[k] ?? (this.levels[k] = new HashLevel())
      level.push(node)
      if (level.length % 2 === 1) return
      node = hashChildren(level.get(level.length - 2), level.get(level.length - 1))
    }
  }

  /** MTH of leaves [start, end), end <= size. */
  readonly subtree = (start: number, end: number): Uint8Array => {
    if (!(start >= 0 && start <= end && end <= this.size)) {
      throw TrustError.invalidInput(`leaf range [${start}, ${end}) is outside the tree of size ${this.size}`)
    }
    return this.stored(start, end)
  }

  private stored(start: number, end: number): Uint8Array {
    const n = end - start
    if (n === 0) return EMPTY_ROOT
    // A perfect, aligned subtree is stored; anything else is a right edge to split (RFC 9162 2.1.1).
    if (isPowerOfTwo(n) && start % n === 0) {
      const k = Math.log2(n)
      const level = this.levels[k]
      if (level !== undefined && start / n < level.length) return level.get(start / n)
    }
    const k = splitPoint(n)
    return hashChildren(this.stored(start, start + k), this.stored(start + k, end))
  }

  root(size = this.size): Uint8Array {
    this.checkSize(size)
    return new Uint8Array(this.subtree(0, size))
  }

  inclusionProof(index: number, size = this.size): Uint8Array[] {
    this.checkSize(size)
    return inclusionProof(index, size, this.subtree).map((h) => new Uint8Array(h))
  }

  consistencyProof(oldSize: number, newSize = this.size): Uint8Array[] {
    this.checkSize(newSize)
    return consistencyProof(oldSize, newSize, this.subtree).map((h) => new Uint8Array(h))
  }

  private checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw TrustError.invalidInput(`tree size ${size} is outside 0..${this.size}`)
    }
  }
}
