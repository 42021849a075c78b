/// The bootstrap of the `nodejsN.x` runtimes: a small Lambda runtime client in JavaScript, run
/// as `node -e SOURCE` in the function's folder. It imports the handler's module once
/// (`.js`, `.mjs` or `.cjs`, CommonJS or ES module), then loops on the Runtime API. Async
/// handlers answer when their promise settles; callback handlers when they call back, after the
/// event loop empties unless `context.callbackWaitsForEmptyEventLoop` is false. Errors are
/// posted as `{"errorType", "errorMessage", "trace"}` like Lambda's Node.js runtime; `console`
/// lines carry the timestamp, request id and level.
enum NodeBootstrap {
    static let source = #"""
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
const host = api.slice(0, api.lastIndexOf(':'));
const port = Number(api.slice(api.lastIndexOf(':') + 1));
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const prefix = '/2018-06-01/runtime/';
let currentId = '';

function request(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(body);
    const req = http.request({ host, port, method, path: prefix + p, agent,
      headers: Object.assign({ 'Content-Length': data ? data.length : 0 }, headers || {}) }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

for (const [name, level, stream] of [['log', 'INFO', process.stdout], ['info', 'INFO', process.stdout], ['debug', 'DEBUG', process.stdout],
  ['trace', 'TRACE', process.stdout], ['warn', 'WARN', process.stderr], ['error', 'ERROR', process.stderr]]) {
  console[name] = (...args) => {
    stream.write(`${new Date().toISOString()}\t${currentId || 'undefined'}\t${level}\t${util.format(...args).replace(/\n/g, '\r')}\n`);
  };
}

function errorDocument(err) {
  if (err instanceof Error || (err && typeof err === 'object' && 'message' in err)) {
    return { errorType: err.name || 'Error', errorMessage: String(err.message), trace: String(err.stack || '').split('\n') };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

async function initError(type, message, trace) {
  const doc = { errorType: type, errorMessage: message, trace: trace || [] };
  process.stderr.write(`${new Date().toISOString()}\tundefined\tERROR\t${JSON.stringify(doc)}\n`);
  await request('POST', 'init/error', JSON.stringify(doc), { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': type });
  process.exit(1);
}

async function loadHandler() {
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const handlerString = process.env._HANDLER || '';
  const slash = handlerString.lastIndexOf('/') + 1;
  const dot = handlerString.indexOf('.', slash);
  if (dot < 0) return initError('Runtime.MalformedHandlerName', `Bad handler ${handlerString}`);
  const modulePath = handlerString.slice(0, dot);
  const fnPath = handlerString.slice(dot + 1);
  let file = null;
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const candidate = path.resolve(root, modulePath + ext);
    if (fs.existsSync(candidate)) { file = candidate; break; }
  }
  if (!file) {
    return initError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}' (looked for ${modulePath}.js, ${modulePath}.mjs and ${modulePath}.cjs in ${root})`);
  }
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    const doc = errorDocument(e);
    if (e && e.name === 'SyntaxError') return initError('Runtime.UserCodeSyntaxError', `SyntaxError: ${e.message} (in ${file})`, doc.trace);
    if (e && (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND')) {
      return initError('Runtime.ImportModuleError', `Error: ${e.message} (importing ${file})`, doc.trace);
    }
    return initError(doc.errorType, doc.errorMessage, doc.trace);
  }
  const find = (obj) => fnPath.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
  let fn = find(mod);
  if (typeof fn !== 'function' && mod && mod.default) fn = find(mod.default);
  if (typeof fn !== 'function') return initError('Runtime.HandlerNotFound', `${modulePath}.${fnPath} is undefined or not exported`);
  return fn;
}

let onEmpty = null;
process.on('beforeExit', () => { const f = onEmpty; onEmpty = null; if (f) f(); });

function invoke(handler, event, headers) {
  return new Promise((resolve) => {
    let done = false;
    const deadline = Number(headers['lambda-runtime-deadline-ms'] || 0);
    const finish = (err, result) => { if (done) return; done = true; onEmpty = null; resolve({ err, result }); };
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: headers['lambda-runtime-aws-request-id'],
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      identity: undefined,
      clientContext: undefined,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const callback = (err, result) => {
      if (done) return;
      if (context.callbackWaitsForEmptyEventLoop) onEmpty = () => finish(err, result); else finish(err, result);
    };
    context.done = callback;
    context.succeed = (result) => callback(null, result);
    context.fail = (err) => callback(err || 'handled');
    onEmpty = () => finish(null, undefined);
    let returned;
    try {
      returned = handler(event, context, callback);
    } catch (e) {
      finish(e);
      return;
    }
    if (returned && typeof returned.then === 'function') returned.then((r) => finish(null, r), (e) => finish(e === undefined ? new Error('undefined') : e));
  });
}

async function main() {
  const handler = await loadHandler();
  for (;;) {
    const next = await request('GET', 'invocation/next');
    if (next.status !== 200) {
      process.stderr.write(`runtime: GET next answered ${next.status}: ${next.body.toString().slice(0, 500)}\n`);
      await new Promise((r) => setTimeout(r, 10));
      continue;
    }
    const id = next.headers['lambda-runtime-aws-request-id'];
    currentId = id;
    if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    let event = null;
    try { event = next.body.length ? JSON.parse(next.body.toString()) : null; } catch (e) { event = next.body.toString(); }
    const { err, result } = await invoke(handler, event, next.headers);
    if (err !== undefined && err !== null) {
      const doc = errorDocument(err);
      process.stderr.write(`${new Date().toISOString()}\t${id}\tERROR\tInvoke Error \t${JSON.stringify(doc)}\n`);
      await request('POST', `invocation/${id}/error`, JSON.stringify(doc), { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': doc.errorType });
      continue;
    }
    let body;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch (e) {
      const doc = { errorType: 'Runtime.MarshalError', errorMessage: `Unable to stringify response body: ${e.message}`, trace: [] };
      await request('POST', `invocation/${id}/error`, JSON.stringify(doc), { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': doc.errorType });
      continue;
    }
    await request('POST', `invocation/${id}/response`, body, { 'Content-Type': 'application/json' });
  }
}

main().catch((e) => { process.stderr.write(`runtime: ${e && e.stack || e}\n`); process.exit(1); });
"""#
}
