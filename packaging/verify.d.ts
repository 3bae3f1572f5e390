// `consent-capture/verify`: receipt verification without the element, in Node >= 20 and in browsers (WebCrypto).
import type { KantaraReceipt, VerifyResult } from './consent-capture.js';

export type { KantaraReceipt, VerifyResult };

/** Verifies a receipt: its signature, canonical form and Kantara shape. */
export function verifyReceipt(jws: string): Promise<VerifyResult>;
