// A vendor's React 19 component with the element: the notice imported from JSON, typed event props. Type-checked
// with tsc --strict (and misuses.tsx must fail), then bundled and run in Chromium by tests/e2e/bundlers.test.mjs.
import 'consent-capture';
import type {} from 'consent-capture/react';
import type { SubmitDetail } from 'consent-capture';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import notice from '../../../../www/demo/notice.json';

function Signup() {
  const [submitted, setSubmitted] = useState<SubmitDetail | null>(null);
  return (
    <>
      <consent-capture notice={notice} lang="en" onconsent-capture:submit={(event) => setSubmitted(event.detail)} />
      <p id="verdict">{submitted ? `${submitted.receiptId} ${submitted.decisions.length}` : ''}</p>
    </>
  );
}

createRoot(document.getElementById('app')!).render(<Signup />);
