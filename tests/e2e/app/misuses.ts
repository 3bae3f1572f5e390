// Wrong uses: every line marked `error` must fail to compile, and nothing else.
import type { Notice } from 'consent-capture';
import { submitConsent } from 'consent-capture/testing';

const element = document.createElement('consent-capture');
element.notice = 42; // error: a notice is a URL or a notice object
const basis: Notice['purposes'][number]['legalBasis'] = 'maybe'; // error: not a legal basis
const fields: Notice['fields'][number]['purposes'] = []; // error: a field needs at least one purpose
element.addEventListener('consent-capture:submit', (event) => {
  const receipt: number = event.detail.receipt; // error: the receipt is a compact JWS string
  console.log(receipt, basis, fields);
});
document.addEventListener('consent-capture:change', (event) => console.log(event.detail.decision)); // error: no such member
document.addEventListener('consent-capture:delivery', (event) => console.log(event.detail.state === 'done')); // error: no such state
void submitConsent('consent-capture', { action: 'send' }); // error: not one of the form's buttons
