'use strict';
// Nodemailer as a peer of SendBenchmark/ThroughputProbe: the same ~2 KB message (From, one To, Subject, 40 lines of
// 49 characters + LF), a fresh message object per send, a pool of CONCURRENCY connections kept busy with CONCURRENCY
// sends in flight, each connection replaced after 1,000 messages (migo's default maxMessagesPerSession).
//
//   node bench.js HOST PORT [CONCURRENCY=8] [COUNT=20000] [ROUNDS=3] [TLS=none|implicit] [WARMUP_SECONDS=8]
//
// TLS=implicit: TLS from the first byte (stunnel in front of smtp-sink), the server's certificate verified against
// HOST with the CAs Node trusts — give it the test CA with NODE_EXTRA_CA_CERTS=ca.pem.
// Warms up (COUNT messages and at least WARMUP_SECONDS; 0 = no warm-up at all, for a cold run timed as a whole
// process), then prints one line per round and a last line
// "nodemailer: median M msgs/s, cpu C µs/msg" (the round with the median rate; this process's user + system CPU).
// A refused or failed send ends the run with exit status 1: failures are never counted as throughput.
const nodemailer = require('nodemailer');

const [host, portArg, concurrencyArg, countArg, roundsArg, tlsArg, warmupArg] = process.argv.slice(2);
if (!host || !portArg) {
  console.error('usage: node bench.js HOST PORT [CONCURRENCY] [COUNT] [ROUNDS] [TLS=none|implicit] [WARMUP_SECONDS]');
  process.exit(2);
}
if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
  console.error(`bench.js: HOST must be a loopback address, not ${host}`);
  process.exit(2);
}
const port = Number(portArg);
const concurrency = Number(concurrencyArg || 8);
const count = Number(countArg || 20000);
const rounds = Number(roundsArg || 3);
const tls = tlsArg || 'none';
if (!['none', 'implicit'].includes(tls)) {
  console.error(`bench.js: TLS must be none or implicit, not ${tls}`);
  process.exit(2);
}
const warmupSeconds = Number(warmupArg === undefined ? 8 : warmupArg);

const FROM = 'sender@example.test';
const TO = 'rcpt@example.test';
const TEXT = 'The quick brown fox jumps over the lazy dog. 0123\n'.repeat(40);

const transporter = nodemailer.createTransport({
  host,
  port,
  secure: tls === 'implicit',
  ignoreTLS: tls === 'none',
  pool: true,
  maxConnections: concurrency,
  maxMessages: 1000,
  name: 'localhost',
});

function message() {
  return { from: FROM, to: TO, subject: 'migo-smtp benchmark', text: TEXT };
}

/** Sends n messages keeping c in flight; rejects at the first failure or refused recipient. */
function batch(n, c) {
  return new Promise((resolve, reject) => {
    let started = 0;
    let done = 0;
    let failed = false;
    const next = () => {
      if (failed || started >= n) {
        return;
      }
      started++;
      transporter.sendMail(message()).then((info) => {
        if (!info.accepted.includes(TO)) {
          failed = true;
          reject(new Error(`not accepted: ${JSON.stringify(info)}`));
        } else if (++done === n) {
          resolve(n);
        } else {
          next();
        }
      }, (err) => {
        failed = true;
        reject(err);
      });
    };
    for (let i = 0; i < Math.min(c, n); i++) {
      next();
    }
  });
}

async function main() {
  const warmupEnd = process.hrtime.bigint() + BigInt(warmupSeconds) * 1000000000n;
  let warmed = 0;
  while (warmupSeconds > 0 && (warmed < count || process.hrtime.bigint() < warmupEnd)) {
    warmed += await batch(Math.min(count, Math.max(concurrency * 100, count - warmed)), concurrency);
  }

  const measured = [];
  for (let r = 1; r <= rounds; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await batch(count, concurrency);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const round = { rate: count / seconds, cpuUs: (cpu.user + cpu.system) / count };
    measured.push(round);
    console.log(`  nodemailer c=${concurrency} round ${r}: ${round.rate.toFixed(0)} msgs/s, `
      + `cpu ${round.cpuUs.toFixed(1)} µs/msg (user ${(cpu.user / count).toFixed(1)} sys ${(cpu.system / count).toFixed(1)})`);
  }
  measured.sort((a, b) => a.rate - b.rate);
  const median = measured[Math.floor(measured.length / 2)];
  console.log(`nodemailer: median ${median.rate.toFixed(0)} msgs/s, cpu ${median.cpuUs.toFixed(1)} µs/msg`);
  transporter.close();
}

main().catch((err) => {
  console.error(`bench.js: ${err.stack || err}`);
  transporter.close();
  process.exit(1);
});
