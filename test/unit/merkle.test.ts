import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import {
  EMPTY_ROOT,
  arrayHasher,
  consistencyProof,
  hashLeaf,
  inclusionProof,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../src-main/core/receipts/merkle.js'
import { CompactRange } from '../../src-main/core/receipts/compact-range.js'
import { MerkleTree } from '../../src-main/core/receipts/merkle-tree.js'

// An independent transcription of RFC 9162 section 2.1, straight from the definitions.
const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}
const naiveLeaf = (d: Uint8Array): Uint8Array => sha(Uint8Array.of(0), d)
const k = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1)
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha()
  if (d.length === 1) return naiveLeaf(d[0]!)
  const s = k(d.length)
  return sha(Uint8Array.of(1), mth(d.slice(0, s)), mth(d.slice(s)))
}
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return []
  const s = k(d.length)
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))]
}
function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)]
  const s = k(d.length)
  return m <= s ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))]
}
const proof = (m: number, d: Uint8Array[]): Uint8Array[] => (m === 0 ? [] : subproof(m, d, true))

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const leafData = (i: number): Uint8Array => sha(new TextEncoder().encode(`receipt ${i}`))
const flip = (b: Uint8Array, bit = 0): Uint8Array => {
  const c = Uint8Array.from(b)
  c[bit >> 3]! ^= 1 << (bit & 7)
  return c
}

function expectBadProof(f: () => unknown): void {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(TrustError)
    expect((err as TrustError).code).toBe('BAD_PROOF')
    return
  }
  expect.unreachable('the proof was accepted')
}

const MAX = 70
const data = Array.from({ length: MAX }, (_, i) => leafData(i))
const leafHashes = data.map(hashLeaf)

describe('Merkle tree hash (RFC 9162 2.1.1)', () => {
  it('the empty tree is SHA-256 of the empty string', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(hex(new CompactRange().root())).toBe(hex(EMPTY_ROOT))
    expect(hex(new MerkleTree().root())).toBe(hex(EMPTY_ROOT))
  })

  it('matches the certificate-transparency reference roots for its 8 test leaves', () => {
    const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ]
    const range = new CompactRange()
    leaves.forEach((leaf, i) => {
      range.push(hashLeaf(Buffer.from(leaf, 'hex')))
      expect(hex(range.root())).toBe(roots[i])
    })
  })

  it('computes the same root as the naive recursive definition for every size 0..70, three ways', () => {
    const range = new CompactRange()
    const tree = new MerkleTree()
    for (let n = 0; n <= MAX; n++) {
      const want = hex(mth(data.slice(0, n)))
      expect(hex(range.root())).toBe(want)
      expect(hex(tree.root())).toBe(want)
      expect(hex(arrayHasher(leafHashes)(0, n))).toBe(want)
      if (n < MAX) {
        range.push(leafHashes[n]!)
        tree.push(leafHashes[n]!)
      }
    }
    // A MerkleTree answers for every past size too.
    for (let n = 0; n <= MAX; n++) expect(hex(tree.root(n))).toBe(hex(mth(data.slice(0, n))))
  })

  it('agrees between the compact range and the stored tree on 5,000 leaves at every 97th size', () => {
    const range = new CompactRange()
    const tree = new MerkleTree()
    const sizes: [number, string][] = []
    for (let i = 0; i < 5000; i++) {
      const leaf = hashLeaf(leafData(i))
      range.push(leaf)
      tree.push(leaf)
      if ((i + 1) % 97 === 0) sizes.push([i + 1, hex(range.root())])
    }
    for (const [n, root] of sizes) expect(hex(tree.root(n))).toBe(root)
    expect(hex(tree.root())).toBe(hex(range.root()))
  })
})

describe('inclusion proofs (RFC 9162 2.1.3)', () => {
  it('generates the RFC audit path for every leaf of every tree up to 70, and it verifies', () => {
    const tree = new MerkleTree()
    leafHashes.forEach((h) => tree.push(h))
    for (let n = 1; n <= MAX; n++) {
      const root = mth(data.slice(0, n))
      for (let m = 0; m < n; m++) {
        const want = path(m, data.slice(0, n)).map(hex)
        expect(inclusionProof(m, n, arrayHasher(leafHashes)).map(hex)).toEqual(want)
        const p = tree.inclusionProof(m, n)
        expect(p.map(hex)).toEqual(want)
        verifyInclusion(leafHashes[m]!, m, n, p, root)
        expect(hex(rootFromInclusionProof(leafHashes[m]!, m, n, p))).toBe(hex(root))
      }
    }
  })

  it('refuses every tampered proof of every leaf in trees up to 70', () => {
    const tree = new MerkleTree()
    leafHashes.forEach((h) => tree.push(h))
    tree.push(hashLeaf(leafData(MAX)))
    let refused = 0
    for (let n = 1; n <= MAX; n++) {
      const root = tree.root(n)
      for (let m = 0; m < n; m++) {
        const p = tree.inclusionProof(m, n)
        const leaf = leafHashes[m]!
        expectBadProof(() => verifyInclusion(flip(leaf), m, n, p, root))
        expectBadProof(() => verifyInclusion(leaf, m, n, p, flip(root, 255)))
        p.forEach((_, j) => expectBadProof(() => verifyInclusion(leaf, m, n, p.map((h, i) => (i === j ? flip(h, 7) : h)), root)))
        if (n > 1) expectBadProof(() => verifyInclusion(leaf, (m + 1) % n, n, p, root))
        if (p.length > 0) expectBadProof(() => verifyInclusion(leaf, m, n, p.slice(0, -1), root))
        expectBadProof(() => verifyInclusion(leaf, m, n, [...p, leaf], root))
        // A proof only binds the size through its shape (the checkpoint binds the rest).
        if (tree.inclusionProof(m, n + 1).length !== p.length) expectBadProof(() => verifyInclusion(leaf, m, n + 1, p, root))
        refused += 5 + p.length
      }
    }
    expect(refused).toBeGreaterThan(20_000)
  })

  it('refuses malformed input with BAD_PROOF, not a crash', () => {
    const root = mth(data.slice(0, 4))
    const p = path(1, data.slice(0, 4))
    const leaf = leafHashes[1]!
    for (const [index, size] of [[4, 4], [-1, 4], [1.5, 4], [Number.NaN, 4], [0, 0], [1, 2 ** 53], [1, -4]] as const) {
      expectBadProof(() => verifyInclusion(leaf, index, size, p, root))
    }
    expectBadProof(() => verifyInclusion(leaf.subarray(0, 31), 1, 4, p, root))
    expectBadProof(() => verifyInclusion(leaf, 1, 4, [p[0]!, new Uint8Array(33)], root))
    expectBadProof(() => verifyInclusion(leaf, 1, 4, p, root.subarray(1)))
    expectBadProof(() => verifyInclusion(leaf, 1, 4, ['ab' as unknown as Uint8Array, p[1]!], root))
    expectBadProof(() => inclusionProof(4, 4, arrayHasher(leafHashes)))
  })
})

describe('consistency proofs (RFC 9162 2.1.4)', () => {
  it('generates the RFC proof for every pair of sizes up to 70, and it verifies', () => {
    const tree = new MerkleTree()
    leafHashes.forEach((h) => tree.push(h))
    for (let n = 0; n <= MAX; n++) {
      for (let m = 0; m <= n; m++) {
        const want = proof(m, data.slice(0, n)).map(hex)
        expect(consistencyProof(m, n, arrayHasher(leafHashes)).map(hex)).toEqual(want)
        const p = tree.consistencyProof(m, n)
        expect(p.map(hex)).toEqual(want)
        verifyConsistency(m, n, tree.root(m), tree.root(n), p)
      }
    }
  })

  it('refuses every tampered proof for every pair of sizes up to 70', () => {
    const tree = new MerkleTree()
    leafHashes.forEach((h) => tree.push(h))
    const other = new MerkleTree()
    leafHashes.forEach((h, i) => other.push(i === 0 ? hashLeaf(leafData(-1)) : h))
    let refused = 0
    for (let n = 1; n <= MAX; n++) {
      const newRoot = tree.root(n)
      for (let m = 1; m < n; m++) {
        const oldRoot = tree.root(m)
        const p = tree.consistencyProof(m, n)
        expectBadProof(() => verifyConsistency(m, n, flip(oldRoot), newRoot, p))
        expectBadProof(() => verifyConsistency(m, n, oldRoot, flip(newRoot), p))
        p.forEach((_, j) => expectBadProof(() => verifyConsistency(m, n, oldRoot, newRoot, p.map((h, i) => (i === j ? flip(h, 9) : h)))))
        expectBadProof(() => verifyConsistency(m, n, oldRoot, newRoot, p.slice(0, -1)))
        expectBadProof(() => verifyConsistency(m, n, oldRoot, newRoot, [...p, oldRoot]))
        if (m + 1 === n || tree.consistencyProof(m + 1, n).length !== p.length) {
          expectBadProof(() => verifyConsistency(m + 1, n, oldRoot, newRoot, p))
        }
        // The old root of a different history of the same size must not pass.
        expectBadProof(() => verifyConsistency(m, n, other.root(m), newRoot, p))
        refused += 6 + p.length
      }
    }
    expect(refused).toBeGreaterThan(20_000)
  })

  it('treats equal sizes and the empty old tree per the RFC, and refuses malformed input', () => {
    const tree = new MerkleTree()
    leafHashes.slice(0, 9).forEach((h) => tree.push(h))
    const r9 = tree.root(9)
    const r5 = tree.root(5)
    verifyConsistency(9, 9, r9, r9, [])
    verifyConsistency(0, 9, EMPTY_ROOT, r9, [])
    expectBadProof(() => verifyConsistency(9, 9, r9, flip(r9), []))
    expectBadProof(() => verifyConsistency(9, 9, r9, r9, [r9]))
    expectBadProof(() => verifyConsistency(0, 9, EMPTY_ROOT, r9, [r9]))
    expectBadProof(() => verifyConsistency(5, 9, r5, r9, []))
    expectBadProof(() => verifyConsistency(9, 5, r9, r5, tree.consistencyProof(5, 9)))
    expectBadProof(() => verifyConsistency(-1, 9, r5, r9, []))
    expectBadProof(() => verifyConsistency(5, 2 ** 53, r5, r9, tree.consistencyProof(5, 9)))
    expectBadProof(() => verifyConsistency(5, 9, r5.subarray(2), r9, tree.consistencyProof(5, 9)))
    expectBadProof(() => consistencyProof(6, 5, arrayHasher(leafHashes)))
  })
})
