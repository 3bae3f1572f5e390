// The server side of signup.tsx: the page's app, rendered to HTML around the drawn form (bundled for Node).
import { renderToString } from 'react-dom/server';
import { Signup } from './signup';

export function render(drawn: string): string {
  return renderToString(<Signup drawn={drawn} />);
}
