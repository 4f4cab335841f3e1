/** A tiny HTTP server that records webhook deliveries, for tests. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  body: string;
  signature: string;
  headers: IncomingMessage['headers'];
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  deliveries: ReceivedDelivery[];
  /** Decides the status of each delivery (default 200). */
  respondWith(status: (delivery: ReceivedDelivery, index: number) => number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/webhooks'): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  let decide: (delivery: ReceivedDelivery, index: number) => number = () => 200;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const delivery: ReceivedDelivery = {
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(request.headers['stripe-signature'] ?? ''),
        headers: request.headers,
        receivedAt: Date.now(),
      };
      deliveries.push(delivery);
      response.statusCode = decide(delivery, deliveries.length - 1);
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    deliveries,
    respondWith(next) {
      decide = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
