// A local HTTP server in its own process (so its CPU is not counted against the monitor).
// Mode "fixed": answers at once. Mode "lognormal": each answer is delayed by the next value of
// a shuffled list of the distribution's exact quantiles (i+0.5)/N, so the delays it applies have
// a known distribution with no sampling error. It reports the delays it applied on request.
import http from 'node:http';

const [mode = 'fixed', medianMs = '100', sigma = '0.5', n = '1000', seed = '42'] = process.argv.slice(2);

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
function normInv(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normInv(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

let state = Number(seed);
const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
const N = Number(n);
const delays = Array.from({ length: N }, (_, i) => Number(medianMs) * Math.exp(Number(sigma) * normInv((i + 0.5) / N)));
for (let i = N - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [delays[i], delays[j]] = [delays[j], delays[i]];
}
const applied = [];
let k = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/applied') {
    res.end(JSON.stringify(applied));
    return;
  }
  const send = () => res.end('{"status":"healthy"}');
  if (mode === 'fixed') return send();
  const d = delays[k++ % N];
  applied.push(d);
  setTimeout(send, d);
});
server.keepAliveTimeout = 1000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('message', (m) => m === 'stop' && server.close(() => process.exit(0)));
// The parent died (killed bench): do not linger.
process.on('disconnect', () => process.exit(0));
