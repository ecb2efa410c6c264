/** The part of sodium-native (libsodium bindings, a Hypercore dependency) that crypto/ed25519.ts uses. */
declare module 'sodium-native' {
  const sodium: {
    crypto_sign_BYTES: number
    crypto_sign_SECRETKEYBYTES: number
    crypto_sign_PUBLICKEYBYTES: number
    crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void
    crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void
    crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
    /** Guarded memory (libsodium's sodium_malloc): not swapped, zeroed by sodium_memzero. */
    sodium_malloc(size: number): Buffer
    sodium_memzero(buffer: Uint8Array): void
  }
  export default sodium
}
