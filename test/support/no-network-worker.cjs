/* eslint-disable @typescript-eslint/no-require-imports */
/* global require */
// tesseract.js's Node worker script, loaded with the network cut off first: fetch, http(s) and raw
// sockets throw inside this worker thread. A pool whose trained data were not local would fail to start.
'use strict';
const net = require('node:net');
const http = require('node:http');
const https = require('node:https');
const tls = require('node:tls');

function blocked() {
  throw new Error('network access blocked in this OCR worker');
}
globalThis.fetch = blocked;
net.connect = net.createConnection = blocked;
tls.connect = blocked;
http.request = http.get = https.request = https.get = blocked;

require(require.resolve('tesseract.js/src/worker-script/node/index.js'));
