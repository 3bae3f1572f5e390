// A CRM vendor's app: the package from npm, bundled, with the notice given as an object.
import 'consent-capture';
import { verifyReceipt } from 'consent-capture/verify';
import notice from './notice.json';

const element = document.createElement('consent-capture');
element.setAttribute('lang', 'en');
element.notice = notice;
element.addEventListener('consent-capture:submit', async (event) => {
  document.getElementById('verdict').textContent = (await verifyReceipt(event.detail.receipt)).valid ? 'valid' : 'invalid';
  document.getElementById('receipt').textContent = event.detail.receipt;
});
document.body.prepend(element);
