/**
 * RFC 6962 / RFC 9162 section 2.1 Merkle trees over SHA-256: hashing, proof
 * generation and standalone proof verification. Leaves here are the 32-byte
 * receipt hashes; functions named *LeafHash(es) take the already hashed
 * leaves H(0x00 || leaf).
 *
 * Verification takes untrusted input: every malformed or failing proof throws
 * TrustError('BAD_PROOF'), never a crash or a silent pass.
 */
import { hash } from 'node:crypto'
import { TrustError } from '../errors.js'

export const HASH_BYTES = 32

/** MTH({}) = SHA-256 of the empty string (RFC 9162 2.1.1). */
export const EMPTY_ROOT: Uint8Array = new Uint8Array(hash('sha256', new Uint8Array(0), 'buffer'))

// One reusable input buffer per kind of hash, and digests taken as latin1 strings written
// into place ('binary' is node's name for latin1): a Buffer digest costs node a fresh
// ArrayBuffer per call, about 4x slower.
const leafInput = Buffer.alloc(1 + HASH_BYTES)
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES)
nodeInput[0] = 0x01

function digest(input: Uint8Array): Buffer {
  return Buffer.from(hash('sha256', input, 'binary'), 'latin1')
}

/** H(0x00 || leaf) (RFC 9162 2.1.1). */
export function hashLeaf(leaf: Uint8Array): Buffer {
  if (leaf.length === HASH_BYTES) {
    leafInput.set(leaf, 1)
    return digest(leafInput)
  }
  return digest(Buffer.concat([leafInput.subarray(0, 1), leaf]))
}

/** H(0x00 || leaf) of a 32-byte leaf given in lowercase hex, written to `out` at `offset`. */
export function hashHexLeafInto(leafHex: string, out: Uint8Array, offset: number): void {
  // Plain loops: Buffer.write's argument handling costs more than the copy (verifyChain hot path).
  for (let i = 0; i < HASH_BYTES; i++) {
    leafInput[1 + i] = (HEX_VALUE[leafHex.charCodeAt(2 * i)]! << 4) | HEX_VALUE[leafHex.charCodeAt(2 * i + 1)]!
  }
  writeBinary(hash('sha256', leafInput, 'binary'), out, offset)
}

/** H(0x01 || left || right) (RFC 9162 2.1.1). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  nodeInput.set(left, 1)
  nodeInput.set(right, 1 + HASH_BYTES)
  return digest(nodeInput)
}

/** H(0x01 || left || right) of two adjacent hashes at `offset` in `buf`, written over the left one. */
export function hashPairInPlace(buf: Uint8Array, offset: number): void {
  for (let i = 0; i < 2 * HASH_BYTES; i++) nodeInput[1 + i] = buf[offset + i]!
  writeBinary(hash('sha256', nodeInput, 'binary'), buf, offset)
}

const HEX_VALUE = new Uint8Array(128)
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i

function writeBinary(digest: string, out: Uint8Array, offset: number): void {
  for (let i = 0; i < HASH_BYTES; i++) out[offset + i] = digest.charCodeAt(i)
}

/** The largest power of two strictly less than n (n >= 2), the split point k of RFC 9162 2.1.1. */
export function splitPoint(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** MTH of leaf hashes [start, end); the building block proof generation asks for. */
export type SubtreeHasher = (start: number, end: number) => Uint8Array

/** A SubtreeHasher over an array of leaf hashes, computed naively (O(end - start)). */
export function arrayHasher(leafHashes: readonly Uint8Array[]): SubtreeHasher {
  const mth = (start: number, end: number): Uint8Array => {
    if (end - start === 1) return leafHashes[start]!
    const k = splitPoint(end - start)
    return hashChildren(mth(start, start + k), mth(start + k, end))
  }
  return (start, end) => (end === start ? EMPTY_ROOT : mth(start, end))
}

/** RFC 9162 2.1.3.1 PATH(m, D[n]): the audit path of leaf m in the tree of size n. */
export function inclusionProof(index: number, size: number, subtree: SubtreeHasher): Uint8Array[] {
  checkIndex(index, size)
  const path: Uint8Array[] = []
  // Walk down from the root, collecting siblings; the RFC lists them leaf first.
  let start = 0
  let end = size
  let m = index
  while (end - start > 1) {
    const k = splitPoint(end - start)
    if (m < k) {
      path.push(subtree(start + k, end))
      end = start + k
    } else {
      path.push(subtree(start, start + k))
      start += k
      m -= k
    }
  }
  return path.reverse()
}

/** RFC 9162 2.1.4.1 PROOF(m, D[n]): proves the tree of size m is a prefix of the tree of size n. */
export function consistencyProof(oldSize: number, newSize: number, subtree: SubtreeHasher): Uint8Array[] {
  checkSizes(oldSize, newSize)
  if (oldSize === 0 || oldSize === newSize) return []
  const proof: Uint8Array[] = []
  // SUBPROOF(m, D[start:end], b), unrolled; nodes are collected root first, then reversed.
  let start = 0
  let end = newSize
  let m = oldSize
  let complete = true
  while (m !== end - start) {
    const k = splitPoint(end - start)
    if (m <= k) {
      proof.push(subtree(start + k, end))
      end = start + k
    } else {
      proof.push(subtree(start, start + k))
      start += k
      m -= k
      complete = false
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b = true the old root is left out.
  if (!complete) proof.push(subtree(start, end))
  return proof.reverse()
}

/** RFC 9162 2.1.3.2: the root an inclusion proof leads to; throws BAD_PROOF on malformed input. */
export function rootFromInclusionProof(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Uint8Array {
  checkIndex(index, size)
  checkHash(leafHash, 'leaf hash')
  proof.forEach((p) => checkHash(p, 'proof node'))
  let fn = index
  let sn = size - 1
  let r: Uint8Array = leafHash
  for (const p of proof) {
    if (sn === 0) throw badProof('the inclusion proof is longer than the tree is deep')
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = hashChildren(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  if (sn !== 0) throw badProof('the inclusion proof is shorter than the tree is deep')
  return r
}

export function verifyInclusion(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): void {
  checkHash(root, 'root')
  if (!equalBytes(rootFromInclusionProof(leafHash, index, size, proof), root)) {
    throw badProof(`leaf ${index} is not in the tree of size ${size} with this root`)
  }
}

/** RFC 9162 2.1.4.2; throws BAD_PROOF unless the tree (oldSize, oldRoot) is a prefix of (newSize, newRoot). */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): void {
  checkSizes(oldSize, newSize)
  checkHash(oldRoot, 'old root')
  checkHash(newRoot, 'new root')
  proof.forEach((p) => checkHash(p, 'proof node'))
  // Equal sizes and the empty tree need no proof (RFC 9162 2.1.4.1 gives the empty one).
  if (oldSize === newSize || oldSize === 0) {
    if (proof.length !== 0) throw badProof('a consistency proof from the empty tree or to the same size must be empty')
    if (oldSize === newSize && !equalBytes(oldRoot, newRoot)) throw badProof(`two different roots for size ${oldSize}`)
    return
  }
  if (proof.length === 0) throw badProof('the consistency proof is empty')
  // Step 2: if oldSize is a power of two, the old root is itself the first node.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof
  let fn = oldSize - 1
  let sn = newSize - 1
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  let fr: Uint8Array = path[0]!
  let sr: Uint8Array = path[0]!
  for (const c of path.slice(1)) {
    if (sn === 0) throw badProof('the consistency proof is too long')
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr)
      sr = hashChildren(c, sr)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      sr = hashChildren(sr, c)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  if (sn !== 0) throw badProof('the consistency proof is too short')
  if (!equalBytes(fr, oldRoot)) throw badProof(`the proof does not lead to the old root of size ${oldSize}`)
  if (!equalBytes(sr, newRoot)) throw badProof(`the proof does not lead to the new root of size ${newSize}`)
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && splitPoint(n + 1) === n
}

function badProof(text: string): TrustError {
  return new TrustError('BAD_PROOF', text)
}

function checkHash(value: unknown, what: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_BYTES) throw badProof(`${what} must be ${HASH_BYTES} bytes`)
}

function checkSize(size: unknown, what: string): asserts size is number {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw badProof(`${what} must be a non-negative safe integer`)
}

function checkIndex(index: number, size: number): void {
  checkSize(index, 'leaf index')
  checkSize(size, 'tree size')
  if (index >= size) throw badProof(`leaf index ${index} is not below the tree size ${size}`)
}

function checkSizes(oldSize: number, newSize: number): void {
  checkSize(oldSize, 'old tree size')
  checkSize(newSize, 'new tree size')
  if (oldSize > newSize) throw badProof(`old tree size ${oldSize} is above the new tree size ${newSize}`)
}
