// A CRM vendor's app, as small as one gets: the element from the npm package, with the demo notice imported
// from JSON; the receipt checked with consent-capture/verify, loaded when a receipt is there. With ?signed the
// notice comes by URL with the controller's signature, which the element checks with its verifier module.
import 'consent-capture';
import notice from '../../../www/demo/notice.json';

const element = document.createElement('consent-capture');
element.setAttribute('lang', 'en');
if (new URLSearchParams(location.search).has('signed')) {
  element.setAttribute('notice', 'notice.json');
  element.setAttribute('notice-signature', 'notice.jws');
  element.setAttribute('controller-key', 'UAsm4GJDR5I7_cefpd43UYt2Iiec8QbRfcojoVyoUws');
} else {
  element.notice = notice;
}
element.addEventListener('consent-capture:submit', async (event) => {
  const { verifyReceipt } = await import('consent-capture/verify');
  document.getElementById('verdict').textContent = (await verifyReceipt(event.detail.receipt)).valid ? 'valid' : 'invalid';
});
document.body.prepend(element);
