/**
 * The script of the frame page the sandbox serves (`/elements/frame.html`): waits for the host
 * page's first message, which brings the element's settings and the port to talk over.
 */
import { type FrameInit, INIT_MESSAGE } from '../protocol.js';
import { startFrame } from './frame-app.js';

let started = false;
window.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { type?: string; init?: FrameInit } | null;
  if (started || event.source !== window.parent || data?.type !== INIT_MESSAGE || !data.init)
    return;
  const port = event.ports[0];
  if (!port) return;
  started = true;
  startFrame(window, port, data.init);
});
