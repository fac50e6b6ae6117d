// The demo page's behaviour: each control sends one request and shows its answer; errors become readable text.
'use strict';

const $ = (id) => document.getElementById(id);

/** Sends one request; records which replica answered (X-Replica); returns {status, body} (body parsed if JSON). */
async function call(method, path, { body, headers = {}, credentials = 'same-origin' } = {}) {
  const init = { method, headers: { ...headers }, credentials };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new Failure(`${method} ${path}: no answer (${e.message}). Is the demo or the load balancer running?`);
  }
  showReplica(response, method, path);
  const text = await response.text();
  const type = response.headers.get('Content-Type') || '';
  return { status: response.status, body: type.includes('json') && text ? JSON.parse(text) : text };
}

function showReplica(response, method, path) {
  $('replica').textContent = response.headers.get('X-Replica') || '(no X-Replica header)';
  $('last_request').textContent = `(${method} ${path} → ${response.status})`;
}

/** An error to show as it is. */
class Failure extends Error {}

/** The readable text of an error answer ({"error", "message"} from the demo, the extension or the admin API). */
function explain({ status, body }, what) {
  const detail = body && typeof body === 'object' && body.message ? body.message : '';
  switch (status) {
    case 400:
      return body && body.error === 'invalid_tenant'
        ? `Bad tenant: ${detail} Use 1 to 64 of A-Z a-z 0-9 . _ - (or leave it empty).`
        : `${what} was refused: ${detail || 'bad request'}`;
    case 401:
      return what.startsWith('Admin')
        ? 'Admin login failed: the user or password is wrong.'
        : `Not logged in: ${detail || 'no session'}.`;
    case 403: return 'This user may not use the admin API (it lacks the session-admin role).';
    case 404: return detail || `${what}: not found (HTTP 404)`;
    case 409: return `Conflict: ${detail}`;
    case 503: return detail
      ? `Redis is unavailable, try again in a moment: ${detail}`
      // Not the app's JSON: the load balancer found no replica.
      : `No replica answered (HTTP 503${typeof body === 'string' && body ? ' from the load balancer' : ''}).`;
    default: return `${what} failed with HTTP ${status}${detail ? ': ' + detail : ''}`;
  }
}

function say(text, kind) {
  $('message').textContent = text;
  $('message').className = kind;
}

/**
 * Runs a button's action; any Failure lands in #message. body[data-done] counts finished actions, so a script
 * (the browser test) can wait for one.
 */
function on(id, event, action) {
  $(id).addEventListener(event, async (e) => {
    e.preventDefault();
    say('', '');
    try {
      await action();
    } catch (failure) {
      say(failure instanceof Failure ? failure.message : `Unexpected: ${failure}`, 'error');
    } finally {
      document.body.dataset.done = String(Number(document.body.dataset.done || 0) + 1);
    }
  });
}

function expect(reply, ok, what) {
  if (reply.status !== ok) {
    throw new Failure(explain(reply, what));
  }
  return reply.body;
}

// ---- the session -------------------------------------------------------------------------------------------------

function tenantHeader() {
  const tenant = $('tenant').value.trim();
  return tenant ? { 'X-Tenant-Id': tenant } : {};
}

const demo = (method, path, body) => call(method, path, { body, headers: tenantHeader() });

function showSession(attributes) {
  $('session').textContent = attributes ? JSON.stringify(attributes, null, 2) : '(no session)';
}

on('login_form', 'submit', async () => {
  const roles = $('roles').value.split(',').map((r) => r.trim()).filter((r) => r);
  const optional = (id) => $(id).value.trim() || null;
  const user = expect(await demo('POST', '/demo/login', {
    user_id: $('user_id').value.trim(), email: optional('email'), name: optional('name'), roles,
  }), 200, 'Login');
  showSession(user);
  say(`Logged in as ${user.user_id} in tenant ${user.tenant_id}.`, 'ok');
});

// The servlet door (/demo/...) and the quarkus-rest door (/api/...) serve the same session.
async function refresh(path) {
  const reply = await demo('GET', path);
  if (reply.status === 401) {
    showSession(null);
  }
  showSession(expect(reply, 200, 'Loading the session'));
}

async function count(path) {
  $('counter_value').textContent = expect(await demo('POST', path), 200, 'The counter');
}

on('refresh', 'click', () => refresh('/demo/me'));
on('counter', 'click', () => count('/demo/counter'));
on('refresh_rest', 'click', () => refresh('/api/me'));
on('counter_rest', 'click', () => count('/api/counter'));

on('attribute_form', 'submit', async () => {
  const name = $('attr_name').value.trim();
  let value;
  try {
    value = JSON.parse($('attr_value').value);
  } catch (e) {
    throw new Failure(`The value is not JSON (${e.message}); strings need quotes, e.g. "dark".`);
  }
  expect(await demo('PUT', `/demo/attributes/${encodeURIComponent(name)}`, value), 204, 'Setting the attribute');
  say(`Stored attribute ${name}; Refresh shows it.`, 'ok');
});

on('logout', 'click', async () => {
  expect(await demo('POST', '/demo/logout'), 204, 'Logout');
  showSession(null);
  $('counter_value').textContent = '';
  say('Logged out: the session is deleted from Redis, for every replica.', 'ok');
});

on('show_stored', 'click', async () => {
  const reply = await demo('GET', '/demo/stored');
  if (reply.status === 404) {
    ['stored_key', 'stored_ttl', 'stored_value'].forEach((id) => { $(id).textContent = '–'; });
  }
  const stored = expect(reply, 200, 'Reading Redis');
  $('stored_key').textContent = stored.key;
  $('stored_ttl').textContent = `${(stored.ttl_ms / 1000).toFixed(1)} s`;
  $('stored_value').textContent = stored.value;
});

// ---- the session ends this replica heard of (SessionEnded events) ----------------------------------------------

on('show_ended', 'click', async () => {
  // Two requests may reach two replicas behind a load balancer: the list is shown only if it came from the same one.
  const counts = expect(await call('GET', '/demo/ended'), 200, 'Reading the session ends');
  const countedBy = $('replica').textContent;
  const recent = expect(await call('GET', '/demo/ended/recent'), 200, 'Reading the session ends');
  $('ended_replica').textContent = countedBy;
  $('ended_counts').textContent = Object.keys(counts).length ? JSON.stringify(counts) : '(none yet)';
  const list = $('ended_recent');
  list.replaceChildren(...(countedBy === $('replica').textContent ? recent : []).map((end) => {
    const item = document.createElement('li');
    item.textContent = `${end.at} ${end.reason}: tenant ${end.tenant}, session ${end.handle}`
      + (end.user_id ? `, user ${end.user_id}` : '');
    return item;
  }));
});

// ---- the admin panel ---------------------------------------------------------------------------------------------

/**
 * The admin request's options: Basic credentials from the form, and no cookies. Without cookies (credentials 'omit')
 * the browser also shows no login prompt of its own on a 401, which would stop the page until answered.
 */
function admin() {
  return {
    credentials: 'omit',
    headers: { Authorization: 'Basic ' + btoa(unescape(encodeURIComponent(
      `${$('admin_user').value}:${$('admin_password').value}`))) },
  };
}

function purgeTenant() {
  const tenant = $('purge_tenant').value.trim();
  if (!tenant) {
    throw new Failure('Name the tenant to purge.');
  }
  return encodeURIComponent(tenant);
}

async function countSessions(tenant) {
  const count = expect(await call('GET', `/admin/sessions/tenants/${tenant}`, admin()),
    200, 'Admin count');
  $('tenant_sessions').textContent = String(count.sessions);
  return count.sessions;
}

on('count', 'click', () => countSessions(purgeTenant()));

on('purge_form', 'submit', async () => {
  const tenant = purgeTenant();
  const total = await countSessions(tenant);
  const job = expect(await call('POST', `/admin/sessions/tenants/${tenant}/purge`, admin()),
    202, 'Admin purge');
  const bar = $('purge_progress');
  bar.max = Math.max(total, 1);
  bar.value = 0;
  showJob(job);
  const last = await followEvents(job.id, showJob);
  bar.value = bar.max;
  await countSessions(tenant);
  say(last.state === 'completed' ? `Purged tenant ${last.tenant}: ${last.deleted} sessions deleted.`
    : `The purge ended ${last.state}: ${last.error || 'see the job'}`, last.state === 'completed' ? 'ok' : 'error');
});

function showJob(job) {
  const bar = $('purge_progress');
  bar.value = Math.min(job.deleted, bar.max);
  $('purge_status').textContent = `Job ${job.id.slice(0, 8)}…: ${job.state}, scanned ${job.scanned}, `
    + `deleted ${job.deleted} in ${job.pages} pages (${job.elapsed_ms} ms)`;
}

/**
 * Reads the job's Server-Sent Events with fetch (EventSource cannot send the Authorization header); calls onJob
 * for each snapshot and returns the terminal one.
 */
async function followEvents(id, onJob) {
  const options = admin();
  options.headers.Accept = 'text/event-stream';
  const response = await fetch(`/admin/sessions/purges/${id}/events`, options);
  showReplica(response, 'GET', `/admin/sessions/purges/${id.slice(0, 8)}…/events`);
  if (response.status !== 200) {
    throw new Failure(explain({ status: response.status, body: await response.json().catch(() => null) },
      'Admin events'));
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let job = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    buffer += value.replace(/\r\n/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = buffer.slice(0, end).split('\n').filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart()).join('\n');
      buffer = buffer.slice(end + 2);
      if (data) {
        job = JSON.parse(data);
        onJob(job);
      }
    }
  }
  if (!job) {
    throw new Failure('The event stream of the purge ended without any event.');
  }
  return job;
}
