// The shared end-to-end flows (flows.mjs) in WebKitGTK's MiniBrowser, through WebKitWebDriver
// (selenium-webdriver; under xvfb-run), and the testing guide's Selenium block.
import { test } from 'node:test';
import { flows } from './flows.mjs';

const { runGuideBlock } = flows('webkit');

test('webkit: the testing guide\'s Selenium block runs as written', () => runGuideBlock('With Selenium WebDriver', 'driver'));
