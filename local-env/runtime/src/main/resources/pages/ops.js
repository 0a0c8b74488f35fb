// The operator's page: every product's state and figures, live. Plain script, no build step; it
// signs in as a local admin (POST /local/login) and calls the admin API on its own origin.
(() => {
  'use strict';

  const REFRESH_MS = 2000;
  const $ = (id) => document.getElementById(id);
  const named = (new URLSearchParams(location.search).get('productId') || '')
    .split(',').map((id) => id.trim()).filter(Boolean);
  let jwt = null;

  const api = (method, path, body) => Flashsale.api(() => jwt, method, path, body);

  async function signIn() {
    const reply = await api('POST', '/local/login', { userId: 'operator', admin: true });
    if (reply.status !== 200) throw new Error('sign-in failed: ' + reply.status);
    jwt = reply.body.accessToken;
  }

  /** The admin list, and the products named in the address that it does not hold. */
  async function products() {
    const list = await api('GET', '/admin/products');
    const byId = new Map();
    if (list.status === 200 && Array.isArray(list.body.products)) {
      list.body.products.forEach((p) => byId.set(p.productId, p));
      $('note').textContent = '';
    } else {
      $('note').textContent = 'GET /admin/products answered ' + list.status + ': showing the products named in ?productId= only.';
    }
    // not in the admin list (or no list): name and state from the public product card
    await Promise.all(named.filter((id) => !byId.has(id)).map(async (id) => {
      const card = await api('GET', '/api/products/' + encodeURIComponent(id));
      byId.set(id, card.status === 200
        ? { ...card.body, state: Flashsale.saleState(card.body, Date.parse(card.body.serverTime)) }
        : { productId: id });
    }));
    return [...byId.values()];
  }

  function cell(row, value, cls) {
    const td = document.createElement('td');
    td.textContent = value === null || value === undefined ? '\u2013' : String(value);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function rowOf(product, stats) {
    const tr = document.createElement('tr');
    tr.dataset.productId = product.productId;
    cell(tr, product.productId, 'id');
    cell(tr, product.name || '', 'name');
    const state = cell(tr, '', 'state');
    const badge = document.createElement('span');
    badge.className = 'badge ' + (product.state || '');
    badge.textContent = product.state || 'unknown';
    state.appendChild(badge);
    const s = stats || {};
    cell(tr, s.stock, 'stock');
    cell(tr, s.accepted, 'accepted');
    cell(tr, s.orders, 'orders');
    cell(tr, s.paid, 'paid');
    cell(tr, s.cancelled, 'cancelled');
    cell(tr, s.failed, 'failed');
    cell(tr, s.redisStock, 'redis-stock');
    cell(tr, s.stockLeft, 'postgres-stock');
    const gap = s.redisStock === null || s.redisStock === undefined || s.stockLeft === undefined ? null : s.stockLeft - s.redisStock;
    cell(tr, gap, 'gap' + (gap !== null && gap < 0 ? ' bad' : ''));
    const discrepancies = s.lastReconciliation ? s.lastReconciliation.discrepancies : null;
    cell(tr, discrepancies, 'discrepancies' + (discrepancies > 0 ? ' bad' : ''));
    cell(tr, s.deadLetters, 'dead-letters' + (s.deadLetters > 0 ? ' bad' : ''));
    return tr;
  }

  async function refresh() {
    try {
      if (!jwt) await signIn();
      const list = await products();
      const rows = await Promise.all(list.map(async (product) => {
        const stats = await api('GET', '/admin/products/' + encodeURIComponent(product.productId) + '/stats');
        if (stats.status === 401) jwt = null;
        return rowOf(product, stats.status === 200 ? stats.body : null);
      }));
      $('rows').replaceChildren(...rows);
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      $('updated').textContent = 'offline: ' + e.message;
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  refresh();
})();
