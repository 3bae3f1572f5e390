// Wrong uses in an Angular component: every line marked `error` must fail to compile, and nothing else.
import { Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, ViewChild } from '@angular/core';
import 'consent-capture';

@Component({ selector: 'app-misuse', schemas: [CUSTOM_ELEMENTS_SCHEMA], template: `<consent-capture #form></consent-capture>` })
export class Misuse {
  @ViewChild('form') form!: ElementRef<HTMLElementTagNameMap['consent-capture']>;

  listen(): void {
    this.form.nativeElement.addEventListener('consent-capture:submit', (event) => event.detail.receipt.toFixed()); // error: the receipt is a string
    this.form.nativeElement.notice = 42; // error: a notice is a URL or a notice object
  }
}
