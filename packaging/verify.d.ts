// `consent-capture/verify`: receipt verification for Node >= 20 (WebCrypto), without the element.
import type { KantaraReceipt, VerifyResult } from './consent-capture.js';

export type { KantaraReceipt, VerifyResult };

/** Verifies a receipt: its signature, canonical form and Kantara shape. */
export function verifyReceipt(jws: string): Promise<VerifyResult>;
