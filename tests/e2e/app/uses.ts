// Right uses of the public types: this must compile with tsc --strict.
import { type DeliveryDetail, type Notice, type SubmitDetail } from 'consent-capture';
import { submitConsent } from 'consent-capture/testing';
import { verifyReceipt } from 'consent-capture/verify';

const notice: Notice = {
  revision: '1',
  jurisdiction: 'GB',
  policyUrl: 'https://example.com/privacy',
  languages: ['en'],
  controller: { name: 'Example', contact: 'DPO', address: {}, email: 'dpo@example.com', phone: '+44 1' },
  purposes: [
    { id: 'reply', legalBasis: 'contract', name: { en: 'Reply' }, description: { en: 'We reply.' }, termination: { en: '1 year' } },
    { id: 'ads', legalBasis: 'consent', name: { en: 'Ads' }, description: { en: 'Ads.' }, termination: { en: '1 year' }, gpc: true, consentMode: ['ad_storage'] },
  ],
  fields: [{ name: 'email', type: 'email', label: { en: 'E-mail' }, purposes: ['reply'], transform: 'sha256:email' }],
};

const element = document.createElement('consent-capture');
element.notice = notice;
element.addEventListener('consent-capture:submit', (event) => {
  const detail: SubmitDetail = event.detail;
  const email: string | undefined = detail.payload['email'];
  console.log(detail.receipt.split('.').length, email, detail.manifest[0]?.reason, detail.consentMode.ad_storage);
});
document.addEventListener('consent-capture:change', (event) => console.log(event.detail.purpose, event.detail.granted));
document.addEventListener('consent-capture:error', (event) => console.log(event.detail.message.length));
document.addEventListener('consent-capture:delivery', (event) => {
  const detail: DeliveryDetail = event.detail;
  console.log(detail.state === 'queued', detail.status ?? 0);
});

export async function check(jws: string): Promise<boolean> {
  const result = await verifyReceipt(jws);
  if (result.valid) console.log(result.receipt.consentCapture?.decisions[0]?.decision);
  return result.valid;
}

export async function fillInATest(): Promise<string | undefined> {
  const result = await submitConsent('consent-capture', { fields: { email: 'ada@example.com' }, choices: { ads: true }, action: 'accept-all' });
  return result.valid ? result.manifest?.[0]?.outcome : result.reason ?? undefined;
}
