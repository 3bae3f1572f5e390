// The shared end-to-end flows (flows.mjs) in Firefox ESR, through WebDriver BiDi (puppeteer-core), and the
// README's Puppeteer block.
import { test } from 'node:test';
import { flows } from './flows.mjs';

const { runReadmeBlock } = flows('firefox');

test('firefox: the README\'s Puppeteer block runs as written', () => runReadmeBlock('With Puppeteer', 'page'));
