// The shared end-to-end flows (flows.mjs) in WebKitGTK's MiniBrowser, through WebKitWebDriver
// (selenium-webdriver; under xvfb-run), and the README's Selenium block.
import { test } from 'node:test';
import { flows } from './flows.mjs';

const { runReadmeBlock } = flows('webkit');

test('webkit: the README\'s Selenium block runs as written', () => runReadmeBlock('With Selenium WebDriver', 'driver'));
