// Wrong uses in React JSX: every line marked `error` must fail to compile, and nothing else.
import type {} from 'consent-capture/react';

export const wrongAdapter = <consent-capture notice="/notice.json" adapter="crm" />; // error: not an adapter
export const wrongNotice = <consent-capture notice={42} />; // error: a notice is a URL or a notice object
export const wrongEvent = <consent-capture onconsent-capture:submit={(event) => event.detail.receipt.toFixed()} />; // error: the receipt is a string
