// The status page: polls /status and /history every 2 s and keeps one card per stream up to date.
// Plain browser JavaScript, no build step, nothing loaded from elsewhere (the gateway may be offline).
'use strict';

const POLL_MS = 2000;
const SVG = 'http://www.w3.org/2000/svg';
const cards = new Map(); // "device_id/stream_name" -> {root, fields, line, dot, target}
let history = {interval_sec: 5, capacity: 60, streams: []};

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function kbps(bps) {
  return bps == null ? '–' : (bps / 1000).toFixed(0) + ' kbit/s';
}

// A hung agent counts as unreachable: a poll gives up after two periods.
async function getJson(path) {
  // AbortController rather than AbortSignal.timeout, which older tablet browsers lack.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 2 * POLL_MS);
  try {
    const res = await fetch(path, {cache: 'no-store', signal: abort.signal});
    if (!res.ok) throw new Error(path + ' answered HTTP ' + res.status);
    return await res.json();
  } finally {
    clearTimeout(timer);
  }
}

// Polls may overlap (a slow agent, or a poll right after a button): an answer older than one shown is dropped.
let pollsStarted = 0;
let newestShown = 0;

async function poll() {
  const seq = ++pollsStarted;
  try {
    const [status, hist] = await Promise.all([getJson('/status'), getJson('/history')]);
    if (seq < newestShown) return;
    newestShown = seq;
    history = hist;
    render(status);
    showBanner(null);
  } catch (e) {
    showBanner('Agent unreachable: ' + e.message + ' (last try ' + new Date().toLocaleTimeString() + ')');
  }
}

function showBanner(text) {
  const banner = document.getElementById('banner');
  banner.hidden = text == null;
  banner.textContent = text ?? '';
  document.getElementById('cameras').classList.toggle('stale', text != null);
}

function render(status) {
  document.getElementById('gateway-id').textContent = status.gateway_id;
  const streaming = status.sessions.filter(s => s.state_name === 'streaming').length;
  document.getElementById('summary').textContent = 'MQTT ' + (status.mqtt_connected ? 'connected' : 'not connected')
    + ' · ' + streaming + ' of ' + status.sessions.length + ' streams streaming · updated '
    + new Date(status.timestamp * 1000).toLocaleTimeString();
  const seen = new Set();
  for (const s of status.sessions) {
    const key = s.device_id + '/' + s.stream_name;
    seen.add(key);
    const card = cards.get(key) ?? makeCard(s, key);
    update(card, s, history.streams.find(h => h.device_id === s.device_id && h.stream_name === s.stream_name));
  }
  for (const [key, card] of cards) {
    if (!seen.has(key)) {
      card.root.remove();
      cards.delete(key);
    }
  }
  for (const section of document.querySelectorAll('section.camera')) {
    if (!section.querySelector('.stream')) section.remove();
  }
}

function cameraSection(deviceId) {
  const main = document.getElementById('cameras');
  for (const section of main.querySelectorAll('section.camera')) {
    if (section.dataset.device === deviceId) return section.querySelector('.streams');
  }
  const streams = el('div', {class: 'streams'});
  main.append(el('section', {class: 'camera', 'data-device': deviceId}, el('h2', {}, deviceId), streams));
  return streams;
}

const FIELDS = [['preset', 'Preset'], ['bitrate', 'Bitrate'], ['backlog', 'Backlog'], ['dropped', 'Dropped frames'],
  ['trigger', 'Trigger'], ['error', 'Last error']];

function makeCard(s, key) {
  const fields = {};
  const list = el('dl');
  for (const [name, label] of FIELDS) {
    fields[name] = el('dd', {class: 'field-' + name});
    list.append(el('dt', {}, label), fields[name]);
  }
  fields.state = el('span', {class: 'state'});
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', '0 0 300 40');
  svg.setAttribute('preserveAspectRatio', 'none');
  const target = document.createElementNS(SVG, 'polyline');
  target.setAttribute('class', 'target');
  const line = document.createElementNS(SVG, 'polyline');
  const dot = document.createElementNS(SVG, 'circle');
  dot.setAttribute('r', '2.5');
  svg.append(target, line, dot);
  fields.caption = el('div', {class: 'spark-caption'});
  const root = el('article', {class: 'stream', 'data-device': s.device_id, 'data-stream': s.stream_name},
    el('h3', {}, el('span', {class: 'name'}, s.stream_name), fields.state), list, svg, fields.caption);
  if (s.trigger === 'manual') {
    fields.answer = el('span', {class: 'answer'});
    const start = el('button', {class: 'start', type: 'button'}, 'Start');
    const stop = el('button', {class: 'stop', type: 'button'}, 'Stop');
    start.addEventListener('click', () => manual(s.device_id, s.stream_name, 'start', fields.answer));
    stop.addEventListener('click', () => manual(s.device_id, s.stream_name, 'stop', fields.answer));
    root.append(el('div', {class: 'actions'}, start, stop, fields.answer));
  }
  cameraSection(s.device_id).append(root);
  const card = {root, fields, line, dot, target};
  cards.set(key, card);
  return card;
}

function update(card, s, hist) {
  const m = s.metrics ?? {};
  const f = card.fields;
  card.root.dataset.state = s.state_name;
  f.state.textContent = s.state_name;
  f.state.title = s.state_reason ?? '';
  f.preset.textContent = s.quality ?? '–';
  // The last stream_metrics interval's bitrate, as /status, stream_metrics and /metrics carry it (the history
  // only draws the sparkline); a stopped stream sends nothing.
  const streaming = s.state_name === 'streaming';
  const current = !streaming ? 0 : m.bitrate_kbps != null ? m.bitrate_kbps * 1000 : null;
  card.root.dataset.bitrateBps = current ?? 0;
  const targetBps = m.target_bitrate_kbps != null ? m.target_bitrate_kbps * 1000 : null;
  f.bitrate.textContent = kbps(current) + (targetBps != null ? ' · target ' + kbps(targetBps) : '');
  f.backlog.textContent = (m.backlog_ms ?? 0) + ' ms';
  f.dropped.textContent = m.dropped_frames ?? 0;
  f.trigger.textContent = (s.trigger ?? '–') + (s.trigger_state ? ' · ' + s.trigger_state : '');
  f.error.textContent = s.last_error_code ? s.last_error_code + ': ' + (s.last_error_message ?? '') : 'none';
  f.error.classList.toggle('error-text', Boolean(s.last_error_code));
  drawSparkline(card, hist ? hist.bitrate_bps : [], targetBps);
}

// Newest sample at the right edge; the x axis is the ring's whole span (capacity x interval), y from 0 to the
// largest of the samples and the target.
function drawSparkline(card, samples, targetBps) {
  const capacity = history.capacity || 60;
  const top = Math.max(1, targetBps ?? 0, ...samples) * 1.1;
  const x = i => (300 * (capacity - samples.length + i) / (capacity - 1)).toFixed(1);
  const y = bps => (40 - 38 * bps / top).toFixed(1);
  card.line.setAttribute('points', samples.map((bps, i) => x(i) + ',' + y(bps)).join(' '));
  card.dot.setAttribute('visibility', samples.length ? 'visible' : 'hidden');
  if (samples.length) {
    card.dot.setAttribute('cx', x(samples.length - 1));
    card.dot.setAttribute('cy', y(samples[samples.length - 1]));
  }
  card.target.setAttribute('points', targetBps != null ? '0,' + y(targetBps) + ' 300,' + y(targetBps) : '');
  const minutes = capacity * (history.interval_sec || 5) / 60;
  const peak = samples.length ? Math.max(...samples) : null;
  card.fields.caption.textContent = 'last ' + minutes + ' min · peak ' + kbps(peak);
}

async function manual(deviceId, streamName, action, answer) {
  answer.className = 'answer';
  answer.textContent = action + '…';
  try {
    const res = await fetch('/streams/' + encodeURIComponent(deviceId) + '/' + encodeURIComponent(streamName) + '/'
      + action, {method: 'POST'});
    const body = await res.json().catch(() => ({}));
    answer.classList.add(res.ok ? 'ok' : 'failed');
    answer.textContent = res.ok ? action + ' under way' : res.status + ': ' + (body.error ?? res.statusText);
  } catch (e) {
    answer.classList.add('failed');
    answer.textContent = action + ' failed: agent unreachable (' + e.message + ')';
  }
  poll();
}

poll();
setInterval(poll, POLL_MS);
