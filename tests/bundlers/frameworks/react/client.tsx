// The client side of signup.tsx: hydrates what server.tsx rendered, with the same drawn form (the page carries
// it as JSON data). A hydration React had to recover from is recorded for the test to see.
import { hydrateRoot } from 'react-dom/client';
import { Signup } from './signup';

declare global {
  interface Window { hydrationErrors: string[] }
}

window.hydrationErrors = [];
const drawn: string = JSON.parse(document.getElementById('drawn')?.textContent ?? '""');
hydrateRoot(document.getElementById('app')!, <Signup drawn={drawn} />, {
  onRecoverableError: (error) => window.hydrationErrors.push(String(error)),
});
