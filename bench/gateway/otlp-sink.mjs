// An OTLP/HTTP receiver that accepts and discards every export (what tracing costs the gateway
// is its own work, not a collector's). Prints how many exports and bytes it took at exit.
import { createServer } from 'node:http';

const port = Number(process.env.OTLP_SINK_PORT ?? 18091);
let exports = 0;
let bytes = 0;
const server = createServer((request, response) => {
  request.on('data', (chunk) => (bytes += chunk.length));
  request.on('end', () => {
    exports += 1;
    response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/x-protobuf' }).end();
  });
});
server.listen(port, '127.0.0.1', () => console.log(`otlp sink on ${port}`));
const report = () => {
  console.log(`otlp sink: ${exports} exports, ${(bytes / 1e6).toFixed(1)} MB`);
  process.exit(0);
};
process.on('SIGTERM', report);
process.on('SIGINT', report);
