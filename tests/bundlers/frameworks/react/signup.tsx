// A vendor's server-rendered React 19 page. The form drawn ahead of time (`consent-capture render`: the element
// with the form in a declarative shadow root) goes into the HTML the server renders, inside a wrapper React
// leaves as it is; the client hydrates, and the element, imported on both sides (on the server it is an empty
// module), takes the drawn form over with whatever the person already did in it. Rendered by server.tsx,
// hydrated by client.tsx, run by tests/e2e/bundlers.test.mjs; type-checked with tsc --strict.
import 'consent-capture';
import type { SubmitDetail } from 'consent-capture';
import { useEffect, useRef, useState } from 'react';

export function Signup({ drawn }: { drawn: string }) {
  const wrapper = useRef<HTMLDivElement>(null);
  const [submitted, setSubmitted] = useState<SubmitDetail | null>(null);
  useEffect(() => {
    const element = wrapper.current?.querySelector('consent-capture');
    const heard = (event: CustomEvent<SubmitDetail>) => setSubmitted(event.detail);
    element?.addEventListener('consent-capture:submit', heard);
    return () => element?.removeEventListener('consent-capture:submit', heard);
  }, []);
  return (
    <>
      <div ref={wrapper} dangerouslySetInnerHTML={{ __html: drawn }} />
      <p id="verdict">{submitted ? `${submitted.receiptId} ${submitted.decisions.length}` : ''}</p>
    </>
  );
}
