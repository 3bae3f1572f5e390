// The shared end-to-end flows (flows.mjs) in Firefox ESR, through WebDriver BiDi (puppeteer-core), and the
// testing guide's Puppeteer block.
import { test } from 'node:test';
import { flows } from './flows.mjs';

const { runGuideBlock } = flows('firefox');

test('firefox: the testing guide\'s Puppeteer block runs as written', () => runGuideBlock('With Puppeteer', 'page'));
