// The shared end-to-end flows (flows.mjs) in Debian's Chromium, through playwright-core.
import { flows } from './flows.mjs';

flows('chromium');
