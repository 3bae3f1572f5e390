// consent-capture/verify in a browser, for resolvers that do not read the package's `exports` (Parcel's
// default, older bundlers): the receipt verifier module. Node takes verify-node.js through `exports`.
export * from './consent-capture-verify.js';
