// Until an element is ready (its module and wasm still loading), a press of one of its buttons, in a form
// rendered ahead of time (consent-capture render), is held on the element as data-held-action for it to carry
// out once ready; Enter in a field presses the form's submit button, so it is held too. And a site's form that
// an element enhances is never submitted natively before then, which would send every field unminimised: its
// submission is held the same way. The first action held is the one carried out, as a double click makes one
// submission. `make dist` prints this as a classic script in the page's <head> (allowed by its hash), so that
// nothing a person can press comes before it; the element's module runs it too, for pages that load only the
// module.
// Outside a browser (a server renderer importing the module) it does nothing.
if (globalThis.document) {
  addEventListener('click', (event) => {
    const button = event.composedPath()[0].closest?.('button[value]');
    const host = button?.getRootNode().host;
    hold(event, host?.localName === 'consent-capture' ? host : host?.matches('.consent-capture-choices') && enhancing(host.closest('form')), button?.value);
  }, true);
  addEventListener('submit', (event) => hold(event, enhancing(event.target), 'save'), true);
}

function enhancing(form) {
  return form?.id ? document.querySelector(`consent-capture[for="${CSS.escape(form.id)}"]`) : null;
}

function hold(event, element, action) {
  if (!element || element.ready) return;
  event.preventDefault();
  event.stopPropagation();
  element.dataset.heldAction ??= action;
}
