// A CRM vendor's app: the package from npm, bundled, with the notice given as an object.
import 'consent-capture';
import notice from './notice.json';

const element = document.createElement('consent-capture');
element.setAttribute('lang', 'en');
element.notice = notice;
element.addEventListener('consent-capture:submit', (event) => {
  document.getElementById('receipt').textContent = event.detail.receipt;
});
document.body.prepend(element);
