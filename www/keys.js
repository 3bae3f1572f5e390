// The device key and the receipts it signed, kept with WebCrypto and IndexedDB: no curve arithmetic ships
// in the wasm. The private key is generated non-extractable, so no script (ours included) can read it.

import { read, write } from './store.js';

const KEYS = 'keys';
const RECEIPTS = 'receipts';

const ALGORITHMS = {
  EdDSA: { generate: { name: 'Ed25519' }, sign: { name: 'Ed25519' }, import: { name: 'Ed25519' } },
  Ed25519: { generate: { name: 'Ed25519' }, sign: { name: 'Ed25519' }, import: { name: 'Ed25519' } },
  ES256: {
    generate: { name: 'ECDSA', namedCurve: 'P-256' },
    sign: { name: 'ECDSA', hash: 'SHA-256' },
    import: { name: 'ECDSA', namedCurve: 'P-256' },
  },
};

async function generate() {
  for (const alg of ['EdDSA', 'ES256']) {
    try {
      const pair = await crypto.subtle.generateKey(ALGORITHMS[alg].generate, false, ['sign', 'verify']);
      const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
      return { alg, privateKey: pair.privateKey, jwk: y ? { crv, kty, x, y } : { crv, kty, x } };
    } catch (error) {
      if (alg === 'ES256') throw error; // a browser without Ed25519 falls back to P-256 first
    }
  }
  throw new Error('WebCrypto cannot make a signing key here');
}

async function loadOrCreate() {
  try {
    const stored = await read(KEYS, 'device');
    if (stored) return stored;
    const key = await generate();
    try {
      await write(KEYS, 'device', key, { replace: false });
      return key;
    } catch {
      // Another tab stored its key first: use that one, so that this browser keeps a single key.
      return (await read(KEYS, 'device')) ?? key;
    }
  } catch {
    // Without IndexedDB (blocked storage) receipts are still signed, with a key that lives for this page.
    return generate();
  }
}

let device;
/** The device key: made once per origin and kept, so every receipt from this browser chains under it. */
export function deviceKey() {
  device ??= loadOrCreate();
  return device;
}

const encoder = new TextEncoder();

export function toBase64Url(bytes) {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// ECDSA's (r, s) and (r, n - s) both verify; receipts are identified by their hash, so every verifier takes
// only the low s, and a WebCrypto signature with the high one is turned into its twin.
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
function lowS(signature) {
  const bytes = new Uint8Array(signature);
  let s = 0n;
  for (const byte of bytes.subarray(32)) s = (s << 8n) | BigInt(byte);
  if (s > P256_ORDER >> 1n) for (let i = 63, t = P256_ORDER - s; i >= 32; i--, t >>= 8n) bytes[i] = Number(t & 255n);
  return bytes;
}

/** The compact JWS: the signing input, a dot, and the device's signature (low S for ES256). */
export async function sign(key, signingInput) {
  const signature = await crypto.subtle.sign(ALGORITHMS[key.alg].sign, key.privateKey, encoder.encode(signingInput));
  return `${signingInput}.${toBase64Url(key.alg === 'ES256' ? lowS(signature) : signature)}`;
}

/**
 * Whether `signature` (base64url) over `signingInput` verifies with the public `jwk` under `alg`. Where
 * WebCrypto has no Ed25519, an EdDSA signature goes to `ed25519` (the verifier's wasm) when given.
 */
export async function verify(parts, ed25519) {
  const { alg, jwk, signingInput, signature } = parts;
  const algorithm = ALGORITHMS[alg];
  if (!algorithm || !jwk) return false;
  let key;
  try {
    key = await crypto.subtle.importKey('jwk', jwk, algorithm.import, false, ['verify']);
  } catch (error) {
    if (error?.name === 'NotSupportedError' && jwk.crv === 'Ed25519' && ed25519) return ed25519(parts);
    throw error;
  }
  return crypto.subtle.verify(algorithm.sign, key, fromBase64Url(signature), encoder.encode(signingInput));
}

const decode = (part) => JSON.parse(new TextDecoder().decode(fromBase64Url(part)));

/** The payload of a receipt, parsed (null when unreadable). */
export function payloadOf(jws) {
  try {
    return decode(jws.split('.')[1]);
  } catch {
    return null;
  }
}

/**
 * Whether `jws` was signed by this device's key (`device`: { alg, jwk }): its header names that very key and
 * the signature verifies. Storage that any script of the origin can write proves nothing by itself.
 */
export async function signedBy(device, jws) {
  const [head, body, signature] = jws.split('.');
  try {
    return JSON.stringify(decode(head).jwk) === JSON.stringify(device.jwk)
      && await verify({ alg: device.alg, jwk: device.jwk, signingInput: `${head}.${body}`, signature });
  } catch {
    return false;
  }
}

/** The last receipt this device signed for a notice (by storage key), if any. */
export async function lastReceipt(storageKey) {
  try {
    return (await read(RECEIPTS, storageKey)) ?? null;
  } catch {
    return null;
  }
}

/** Keeps the newest receipt for a notice so that the next change or withdrawal chains to it. */
export async function keepReceipt(storageKey, jws) {
  try {
    await write(RECEIPTS, storageKey, jws);
  } catch {
    // Blocked storage: the chain continues within this page only.
  }
}
