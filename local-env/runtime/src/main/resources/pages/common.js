// Shared by the storefront and the operator's page (plain script, no build step): calls to the
// API on this page's origin, and a sale's state from its product card and the server's clock.
window.Flashsale = (() => {
  'use strict';

  /** A JSON call; the bearer token from getJwt(), if any. Resolves to {status, body, retryAfter}. */
  async function api(getJwt, method, path, body, headers = {}) {
    const init = { method, headers: { ...headers } };
    const jwt = getJwt();
    if (jwt) init.headers.Authorization = 'Bearer ' + jwt;
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let json = {};
    try { json = await response.json(); } catch (e) { /* an empty body */ }
    return { status: response.status, body: json, retryAfter: response.headers.get('Retry-After') };
  }

  /** SCHEDULED, ON_SALE, PAUSED, SOLD_OUT or ENDED, from GET /api/products/{id} and the server's time. */
  function saleState(card, nowMs) {
    if (nowMs >= Date.parse(card.endsAt)) return 'ENDED';
    if (card.soldOut) return 'SOLD_OUT';
    if (card.paused) return 'PAUSED';
    if (nowMs < Date.parse(card.startsAt)) return 'SCHEDULED';
    return 'ON_SALE';
  }

  return { api, saleState };
})();
