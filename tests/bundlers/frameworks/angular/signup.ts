// A vendor's Angular 21 component with the element, as the docs say: CUSTOM_ELEMENTS_SCHEMA, the notice object
// bound as a property, and the submission heard through a template reference (Angular's template syntax reads
// the colon of `(consent-capture:submit)` as an event target). Compiled with ngc and strictTemplates by
// tests/e2e/bundlers.test.mjs (the schema lets a custom element's bindings through unchecked: the listener's
// types are what the package's declarations check).
import { AfterViewInit, Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, ViewChild } from '@angular/core';
import 'consent-capture';
import type { SubmitDetail } from 'consent-capture';
import notice from '../../../../www/demo/notice.json';

@Component({
  selector: 'app-signup',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `<consent-capture #form [notice]="notice" lang="en"></consent-capture><p id="verdict">{{ verdict }}</p>`,
})
export class Signup implements AfterViewInit {
  notice = notice;
  verdict = '';
  @ViewChild('form') form!: ElementRef<HTMLElementTagNameMap['consent-capture']>;

  ngAfterViewInit(): void {
    this.form.nativeElement.addEventListener('consent-capture:submit', (event) => {
      const detail: SubmitDetail = event.detail;
      this.verdict = `${detail.receiptId} ${detail.decisions.length}`;
    });
  }
}
