// #/hosts: each host's slots, GPUs (which job holds which index), cores and memory reserved, and this
// server's SSH connections to it, then the pools.

import { h, setAttr, setText, syncChildren, tableHead } from './dom.js';
import { pollGet, poller } from './poll.js';

export function hostsView(ctx, root) {
  document.title = 'Caravan · hosts';
  const hosts = h('tbody');
  const pools = h('div', { class: 'pools' });
  const noHosts = h('p', { class: 'empty', hidden: true, text: 'no hosts configured' });
  const cols = ['Host', 'Pools', 'Slots', 'GPUs', 'CPUs', 'Memory', 'Owner', 'Handshakes', 'Open conns', 'Channels in use', 'Refusals', 'Reconnects'];
  root.append(
    h('div', { class: 'page-head' }, h('h1', { text: 'Hosts' })),
    h('table', { class: 'table hosts' }, tableHead(cols), hosts),
    noHosts,
    h('p', { class: 'muted small', text: 'Connection figures are this server\'s own SSH transport.' }),
    h('h2', { text: 'Pools' }),
    pools,
  );

  poller(ctx, async () => {
    const [h1, p1] = await Promise.all([
      pollGet('hosts', 'Loading hosts', '/api/hosts'),
      pollGet('pools', 'Loading pools', '/api/pools'),
    ]);
    if (!ctx.alive) return null;
    if (h1) {
      syncChildren(hosts, h1.hosts, (x) => x.host, createHostRow, updateHostRow);
      noHosts.hidden = h1.hosts.length > 0;
    }
    if (p1) renderPools(pools, p1.pools);
    return 2000;
  });
}

function createHostRow(host) {
  const cell = (name, cls = 'num') => h('td', { class: cls, 'data-col': name });
  return h('tr', { 'data-testid': 'host-row', 'data-host': host.host },
    h('td', {}, h('code', { text: host.host })),
    cell('pools', ''), cell('slots', 'slots'), cell('gpus', 'gpus'), cell('cpus'), cell('mem'), cell('owner', ''), cell('handshakes'), cell('open_connections'),
    cell('channels_in_use'), cell('channel_refusals'), cell('reconnects'));
}

function updateHostRow(row, host) {
  const c = (name) => row.querySelector(`[data-col="${name}"]`);
  const busy = host.busy ?? 0;
  const slots = host.slots; // null for a host that is in no pool: it has no slots to fill
  setAttr(row, 'data-handshakes', host.handshakes);
  setText(c('pools'), (host.pools || []).join(', ') || '—');
  const slotsCell = c('slots');
  if (!slotsCell.firstChild) slotsCell.append(meter(), h('span', { class: 'small' }));
  slotsCell.firstChild.hidden = slots == null;
  slotsCell.firstChild.firstChild.style.width = `${slots ? Math.min(100, (100 * busy) / slots) : 0}%`;
  setText(slotsCell.lastChild, slots == null ? `${busy} busy · no pool`
    : `${busy} busy · ${Math.max(0, slots - busy)} free of ${slots}`);
  updateGpus(c('gpus'), host);
  setText(c('cpus'), host.cpus == null ? (host.cpus_reserved ? `${host.cpus_reserved} reserved` : '—')
    : `${host.cpus_reserved ?? 0} of ${host.cpus} reserved`);
  setText(c('mem'), host.mem == null ? (host.mem_reserved ? `${fmtBytes(host.mem_reserved)} reserved` : '—')
    : `${fmtBytes(host.mem_reserved ?? 0)} of ${fmtBytes(host.mem)} reserved`);
  setText(c('owner'), host.owner ?? '—');
  setText(c('handshakes'), host.handshake_failures ? `${host.handshakes} (${host.handshake_failures} failed)` : host.handshakes);
  setText(c('open_connections'), host.open_connections);
  setText(c('channels_in_use'), `${host.channels_in_use} (${host.channels_opened} opened)`);
  setText(c('channel_refusals'), host.channel_refusals);
  setText(c('reconnects'), host.reconnects);
}

// "2/4 busy" with a meter, then one line per GPU held: "GPU 0: run/task[3]".
function updateGpus(cell, host) {
  const busy = (host.gpus_busy || []);
  const total = host.gpus;
  if (!cell.firstChild) cell.append(meter(), h('span', { class: 'small' }), h('ul', { class: 'gpu-holders small' }));
  const [bar, text, list] = cell.children;
  bar.hidden = total == null;
  bar.firstChild.style.width = `${total ? Math.min(100, (100 * busy.length) / total) : 0}%`;
  const type = host.gpu_type ? ` ${host.gpu_type}` : '';
  setText(text, total != null ? `${busy.length}/${total} busy${type}`
    : host.gpus_auto ? `${busy.length} busy · read at first job${type}` : (busy.length ? `${busy.length} busy` : '—'));
  syncChildren(list, busy, (g) => String(g.index), (g) => h('li', { 'data-testid': 'gpu-holder' }),
    (li, g) => setText(li, `GPU ${g.index}: ${g.job}`));
}

function fmtBytes(bytes) {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1 && v % 1024 === 0) { v /= 1024; i += 1; }
  return `${v}${units[i]}`;
}

function meter() {
  return h('span', { class: 'meter' }, h('span'));
}

function renderPools(box, pools) {
  syncChildren(box, pools, (p) => p.name, (p) => h('div', { class: 'pool card', 'data-testid': 'pool', 'data-pool': p.name },
    h('h3', { text: p.name }),
    h('table', { class: 'table compact' },
      tableHead(['Connection', 'Host', 'Slots', 'Busy', 'Free', 'Capacity']),
      h('tbody'))),
  (el, p) => {
    syncChildren(el.querySelector('tbody'), p.hosts, (x) => x.connection,
      () => h('tr', { 'data-testid': 'pool-row' }, h('td'), h('td'), h('td', { class: 'num' }), h('td', { class: 'num' }), h('td', { class: 'num' }), h('td')),
      (tr, x) => {
        const td = tr.children;
        setText(td[0], x.connection);
        setText(td[1], x.host);
        setText(td[2], x.slots);
        setText(td[3], x.busy);
        setText(td[4], x.free);
        setText(td[5], x.capacity || '—');
      });
  });
  if (pools.length === 0 && !box.querySelector('.empty')) box.append(h('p', { class: 'empty', text: 'no pools' }));
}
