'use strict';

// Local SMTP server for migo-smtp's XOAUTH2 interop tests, built on Nodemailer's smtp-server.
// Started and stopped by scripts/test-servers.sh; it is configured through environment variables:
//
//   MIGO_XOAUTH2_HOST     listen address          (default 127.0.0.1)
//   MIGO_XOAUTH2_PORT     listen port             (default 10588)
//   MIGO_TLS_CERT         PEM server certificate  (required; STARTTLS)
//   MIGO_TLS_KEY          PEM private key         (required)
//   MIGO_XOAUTH2_MAILDIR  where each message is stored as <n>.eml (required)
//   MIGO_TEST_USER / MIGO_TEST_PASSWORD / MIGO_TEST_OAUTH_TOKEN  the accepted credentials
//
// Logs (the SMTP dialogue included) go to stdout/stderr, which the script sends to a log file.

const fs = require('fs');
const path = require('path');
const { SMTPServer } = require('smtp-server');

function required(name) {
    const value = process.env[name];
    if (!value) {
        console.error(`server.js: environment variable ${name} is required`);
        process.exit(2);
    }
    return value;
}

const host = process.env.MIGO_XOAUTH2_HOST || '127.0.0.1';
const port = Number(process.env.MIGO_XOAUTH2_PORT || 10588);
const certFile = required('MIGO_TLS_CERT');
const keyFile = required('MIGO_TLS_KEY');
const mailDir = path.resolve(required('MIGO_XOAUTH2_MAILDIR'));
const user = process.env.MIGO_TEST_USER || 'alice@example.test';
const password = process.env.MIGO_TEST_PASSWORD || 'alice-secret';
const oauthToken = process.env.MIGO_TEST_OAUTH_TOKEN || 'valid-token';

// Messages are written to a sibling directory first and renamed into mailDir when complete,
// so a test polling mailDir never reads a half-written file.
const tmpDir = mailDir + '.tmp';
fs.mkdirSync(mailDir, { recursive: true });
fs.mkdirSync(tmpDir, { recursive: true });
let messageCount = fs.readdirSync(mailDir).filter(name => name.endsWith('.eml')).length;

// RFC 7628 / Google's XOAUTH2 error: sent base64-encoded in a 334 challenge; the client must
// answer with an empty line, and then gets the final 535.
const XOAUTH2_ERROR = { status: '401', schemes: 'bearer', scope: 'https://mail.example.test/' };

function onAuth(auth, session, callback) {
    switch (auth.method) {
        case 'XOAUTH2':
            if (auth.username === user && auth.accessToken === oauthToken) {
                return callback(null, { user: auth.username });
            }
            // No `user` in the response: smtp-server sends `334 base64(JSON(data))`, then 535.
            return callback(null, { data: XOAUTH2_ERROR });
        case 'PLAIN':
        case 'LOGIN':
            if (auth.username === user && auth.password === password) {
                return callback(null, { user: auth.username });
            }
            break;
        case 'CRAM-MD5':
            if (auth.username === user && auth.validatePassword(password)) {
                return callback(null, { user: auth.username });
            }
            break;
        default:
            break;
    }
    const err = new Error('Authentication credentials invalid');
    err.responseCode = 535;
    return callback(err);
}

function onData(stream, session, callback) {
    const n = ++messageCount;
    const tmpFile = path.join(tmpDir, `${n}.eml`);
    const finalFile = path.join(mailDir, `${n}.eml`);
    const out = fs.createWriteStream(tmpFile);
    let failed = false;
    const fail = err => {
        if (!failed) {
            failed = true;
            callback(err);
        }
    };
    stream.on('error', fail);
    out.on('error', fail);
    out.on('finish', () => {
        if (failed) {
            return;
        }
        if (stream.sizeExceeded) {
            fs.unlink(tmpFile, () => undefined);
            const err = new Error('Error: message exceeds fixed maximum message size');
            err.responseCode = 552;
            return fail(err);
        }
        fs.rename(tmpFile, finalFile, err => {
            if (err) {
                return fail(err);
            }
            callback(null, `Message queued as ${n}`);
        });
    });
    stream.pipe(out);
}

const server = new SMTPServer({
    name: 'localhost',
    secure: false,
    key: fs.readFileSync(keyFile),
    cert: fs.readFileSync(certFile),
    authMethods: ['XOAUTH2', 'PLAIN', 'LOGIN', 'CRAM-MD5'],
    authOptional: false,
    allowInsecureAuth: false,
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    size: 10240000,
    logger: true,
    onAuth,
    onData
});

let listening = false;
server.on('error', err => {
    console.error('smtp-server error:', err);
    if (!listening) {
        // e.g. EADDRINUSE: exit, so that the start script notices at once instead of timing out.
        process.exit(1);
    }
});

server.listen(port, host, () => {
    listening = true;
    console.log(`xoauth2 test server listening on ${host}:${port}, mail in ${mailDir}`);
});

function shutdown(signal) {
    console.log(`received ${signal}, closing`);
    server.close(() => process.exit(0));
    // Open client connections must not keep a stop waiting.
    setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
