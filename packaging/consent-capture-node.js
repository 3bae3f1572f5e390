// consent-capture in Node (the package's `node` condition): a server, or a server renderer importing the page's
// modules, gets nothing to run. The element lives in the browser; verify receipts with consent-capture/verify.
export {};
