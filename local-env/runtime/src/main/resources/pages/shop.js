// The storefront: the product card, a countdown on the server's clock, the human check, sign-in,
// buy (token, then buy) and the result, polled once a second. Plain script, no build step: it
// calls the API on its own origin (docs/api.md).
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const productId = decodeURIComponent(location.pathname.replace(/\/+$/, '').split('/').pop());
  const currency = document.querySelector('meta[name="flashsale-currency"]').content;
  const ALTCHA_SCRIPT = '/local/pages/vendor/altcha/altcha.min.js';

  let product = null;
  let clockOffsetMs = 0; // serverTime minus this browser's clock
  let jwt = sessionStorage.getItem('flashsale.jwt');
  let userId = sessionStorage.getItem('flashsale.user');
  let altchaPayload = null;
  let widget = null;
  let humanCheckStarted = false;
  let busy = false;

  const api = (method, path, body, headers) => Flashsale.api(() => jwt, method, path, body, headers);

  const serverNow = () => Date.now() + clockOffsetMs;
  const money = (cents) => new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);

  function duration(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    const d = Math.floor(s / 86400);
    const hms = [Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
    return (d > 0 ? d + 'd ' : '') + hms;
  }

  const saleState = () => (product ? Flashsale.saleState(product, serverNow()) : null);

  async function loadProduct() {
    const sent = Date.now();
    const reply = await api('GET', '/api/products/' + encodeURIComponent(productId));
    if (reply.status !== 200) {
      $('name').textContent = reply.status === 404 ? 'No such product' : 'The shop is unavailable';
      $('countdown').textContent = reply.body.message || '';
      return;
    }
    product = reply.body;
    // the server's clock at the middle of the round trip
    clockOffsetMs = Date.parse(product.serverTime) - (sent + Date.now()) / 2;
    $('name').textContent = product.name;
    $('price').textContent = money(product.priceCents);
    $('window').textContent = new Date(product.startsAt).toLocaleString() + ' \u2013 ' + new Date(product.endsAt).toLocaleString();
    setUpHumanCheck();
    render();
  }

  function render() {
    const state = saleState();
    if (state) {
      $('state').textContent = state.replace('_', ' ');
      $('state').className = 'badge ' + state;
      const now = serverNow();
      $('countdown').textContent = state === 'SCHEDULED' ? 'Starts in ' + duration(Date.parse(product.startsAt) - now)
        : state === 'ON_SALE' ? 'On sale \u00b7 ends in ' + duration(Date.parse(product.endsAt) - now)
        : state === 'ENDED' ? 'The sale has ended' : state === 'PAUSED' ? 'The sale is paused' : 'Sold out';
    }
    $('who').textContent = userId ? 'signed in as ' + userId : 'not signed in';
    $('login-card').hidden = Boolean(jwt);
    const needsProof = product && product.humanCheck === 'altcha';
    $('buy').disabled = busy || !jwt || state !== 'ON_SALE' || (needsProof && !altchaPayload);
  }

  function say(status, message) {
    $('status').hidden = !status;
    $('status').textContent = status || '';
    $('status').className = 'badge ' + (status || '');
    $('message').textContent = message || '';
  }

  async function login() {
    const id = $('user').value.trim();
    if (!id) { say('error', 'Enter a user id'); return; }
    const reply = await api('POST', '/local/login', { userId: id, admin: false });
    if (reply.status !== 200) { say('error', reply.body.message || 'Sign-in failed'); return; }
    jwt = reply.body.accessToken;
    userId = id;
    sessionStorage.setItem('flashsale.jwt', jwt);
    sessionStorage.setItem('flashsale.user', userId);
    say(null, '');
    setUpHumanCheck();
    render();
  }

  // The ALTCHA widget (vendored, see vendor/altcha/README.txt), only for products whose humanCheck
  // is "altcha"; the challenge needs the JWT, so the page fetches it and hands it to the widget.
  function loadAltchaScript() {
    return new Promise((resolve, reject) => {
      if (customElements.get('altcha-widget')) { resolve(); return; }
      const script = document.createElement('script');
      script.type = 'module';
      script.src = ALTCHA_SCRIPT;
      script.onload = () => customElements.whenDefined('altcha-widget').then(resolve);
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  async function setUpHumanCheck() {
    if (product && product.humanCheck === 'provider') {
      // the hosted captcha's widget is the provider's script, configured per environment: not embedded here
      $('human-check').hidden = false;
      $('human-check').textContent = 'This sale asks for the hosted captcha, which this page does not embed.';
      return;
    }
    if (!product || product.humanCheck !== 'altcha' || !jwt || humanCheckStarted) return;
    humanCheckStarted = true;
    const box = $('human-check');
    await loadAltchaScript();
    widget = document.createElement('altcha-widget');
    widget.setAttribute('auto', 'off');
    widget.addEventListener('statechange', (event) => {
      altchaPayload = event.detail && event.detail.state === 'verified' ? event.detail.payload : null;
      render();
    });
    box.appendChild(widget);
    await freshChallenge();
  }

  // The widget's methods answer only once it has mounted (a microtask after it joins the page);
  // before that, configure() is silently lost and a tick on the box finds no challenge.
  async function mounted(element) {
    for (let i = 0; i < 200 && element.getState() === undefined; i++) await sleep(10);
  }

  // A challenge from GET /api/flash-sale/challenge, handed to the widget; the box is shown only once
  // the widget holds it, so a tick always solves this one.
  async function freshChallenge() {
    altchaPayload = null;
    $('human-check').hidden = true;
    render();
    const reply = await api('GET', '/api/flash-sale/challenge?productId=' + encodeURIComponent(productId));
    if (reply.status !== 200) { say('error', 'Human check unavailable: ' + (reply.body.message || reply.status)); return; }
    await mounted(widget);
    widget.reset();
    widget.configure({ challenge: reply.body });
    $('human-check').hidden = false;
    render();
  }

  function idempotencyKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function refusal(reply) {
    const wait = reply.retryAfter ? ' (retry in ' + reply.retryAfter + ' s)' : '';
    say('error', (reply.body.error || reply.status) + ': ' + (reply.body.message || 'refused') + wait);
  }

  async function buy() {
    busy = true;
    render();
    try {
      const quantity = Number($('quantity').value) || 1;
      const tokenBody = { productId };
      if (altchaPayload) tokenBody.altcha = altchaPayload;
      say('PENDING', 'Getting a purchase token\u2026');
      const token = await api('POST', '/api/flash-sale/token', tokenBody);
      if (widget) freshChallenge(); // a solution is good for one token only
      if (token.status !== 200) { refusal(token); return; }
      say('PENDING', 'Buying\u2026');
      const bought = await api('POST', '/api/flash-sale/buy', { productId, quantity, token: token.body.token },
        { 'Idempotency-Key': idempotencyKey() });
      if (bought.status !== 202) { refusal(bought); return; }
      await poll(bought.body.requestId);
    } catch (e) {
      say('error', 'Network error: ' + e.message);
    } finally {
      busy = false;
      render();
    }
  }

  /** The result, once a second, until Postgres has decided. */
  async function poll(requestId) {
    $('result').textContent = 'Request ' + requestId;
    for (;;) {
      const reply = await api('GET', '/api/flash-sale/result/' + encodeURIComponent(requestId));
      if (reply.status === 200 && reply.body.status === 'SUCCESS') {
        const order = await api('GET', '/api/orders/' + encodeURIComponent(reply.body.orderId));
        say('SUCCESS', 'You got it! Order ' + reply.body.orderId);
        $('result').textContent = 'Order ' + reply.body.orderId
          + (order.status === 200 ? ' \u00b7 ' + money(order.body.priceCents) + ' \u00b7 pay by '
            + new Date(order.body.payBy).toLocaleString() : '');
        $('result').dataset.orderId = reply.body.orderId;
        return;
      }
      if (reply.status === 200 && reply.body.status === 'FAILED') {
        say('FAILED', 'Not this time: ' + reply.body.reason);
        return;
      }
      if (reply.status === 200) {
        say('PENDING', 'Your request is in the queue\u2026');
      } else if (reply.status !== 429 && reply.status !== 503) {
        refusal(reply);
        return;
      }
      await sleep(reply.retryAfter ? Number(reply.retryAfter) * 1000 : 1000);
    }
  }

  $('login').addEventListener('click', login);
  $('user').addEventListener('keydown', (event) => { if (event.key === 'Enter') login(); });
  $('buy').addEventListener('click', buy);
  loadProduct();
  setInterval(render, 250);
  setInterval(loadProduct, 5000); // sold out or paused since?
})();
