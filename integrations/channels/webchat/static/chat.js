/* Family Hubs Coventry web chat. Plain ES2017, no dependencies, CSP-safe. */
(() => {
  'use strict';

  const STORE_KEY = 'fh-chat';
  const POLL_MS = 3000;
  const MAX_CHARS = 5000; // the service's MAX_MESSAGE_CHARS
  const COUNT_FROM = 4500;
  const SHIFT_WINDOW_MS = 5000;
  const REQUEST_TIMEOUT_MS = 30000;
  // GOV.UK's own default, used only if the server did not fill in the exit URL.
  const FALLBACK_EXIT_URL = 'https://www.bbc.co.uk/weather';

  const TEXT = {
    sendFailed: 'Sorry, that may not have sent. Please try again. If you are in danger call 999.',
    startFailed: 'Sorry, the chat could not start. Please try again. If you are in danger call 999.',
    loadFailed: 'Sorry, we could not load your conversation. Please try again. If you are in danger call 999.',
    tooLong: 'That message is too long. Please keep it under 5,000 characters.',
    otherError: 'Sorry, something went wrong with this chat. Please reload the page. If you are in danger call 999.',
    ended: 'This chat has ended. Reload the page to start a new chat. If you are in danger call 999.',
    worker: 'A person from the Family Hubs team is replying. In an emergency call 999.'
  };

  const WHO = {
    parent: { cls: 'msg--parent', prefix: 'You said: ', label: '' },
    bot: { cls: 'msg--bot', prefix: 'Assistant said: ', label: 'Assistant' },
    practitioner: { cls: 'msg--practitioner', prefix: 'Hub worker said: ', label: 'Hub worker' }
  };

  function byId(id) { return document.getElementById(id); }

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const dom = {
    log: byId('chat-log'), form: byId('chat-form'), input: byId('chat-input'),
    send: byId('chat-send'), exit: byId('quick-exit'), typing: byId('chat-typing'),
    status: byId('chat-status'), error: byId('chat-error'),
    count: byId('chat-count'), countLive: byId('chat-count-live')
  };

  const state = {
    id: null, token: null,
    lastSeq: 0,        // highest server seq already on screen
    pending: [],       // elements shown from a POST response, still waiting for their seq
    busy: false,       // a POST is in flight
    postCount: 0,      // bumped when a POST starts, so a GET can tell if one overlapped it
    syncing: false, resync: false, polling: false, pollTimer: null, countTimer: null,
    exited: false, controllers: [],
    personReplying: false  // a practitioner has the conversation (from the last GET)
  };

  /* ---------- Quick exit (wired first so it works even if anything later fails) ---------- */

  function exitUrl() {
    const raw = (document.body.getAttribute('data-exit-url') || '').trim();
    try {
      const url = new URL(raw, window.location.href);
      if (raw && raw.indexOf('__') !== 0 && /^https?:$/.test(url.protocol)) return url.href;
    } catch (e) { /* not a URL: use the fallback */ }
    return FALLBACK_EXIT_URL;
  }

  function quickExit(event) {
    if (event) event.preventDefault();
    if (state.exited) return;
    state.exited = true;
    const url = exitUrl();
    // Wipe everything a person looking over a shoulder could see before navigating,
    // because a slow network can leave this page on screen for a few seconds.
    stopPolling();
    clearTimeout(state.countTimer);
    state.controllers.forEach(c => c.abort());
    try { window.sessionStorage.clear(); } catch (e) { /* storage blocked */ }
    if (dom.log) dom.log.textContent = '';
    if (dom.input) dom.input.value = '';
    document.title = '';
    document.body.textContent = '';
    document.body.appendChild(make('div', 'exit-overlay'));
    // replace(), not assign(): the Back button must not bring this page back.
    window.location.replace(url);
  }

  // Three plain Shift presses within 5 s. Shift used for a capital letter does
  // not count, so typing normally never leaves the page by accident.
  const shift = { times: [], dirty: false };

  function onKeyDown(e) {
    if (e.key === 'Shift') { shift.dirty = false; return; }
    shift.dirty = true;
    shift.times = [];
  }

  function onKeyUp(e) {
    if (e.key !== 'Shift') return;
    if (shift.dirty || e.ctrlKey || e.altKey || e.metaKey) { shift.dirty = false; return; }
    const now = Date.now();
    shift.times = shift.times.filter(t => now - t < SHIFT_WINDOW_MS);
    shift.times.push(now);
    if (shift.times.length >= 3) quickExit();
  }

  dom.exit.addEventListener('click', quickExit);
  // The exit control is a link (so it still works without JavaScript) with role="button",
  // so Space must activate it like a real button.
  dom.exit.addEventListener('keydown', e => { if (e.key === ' ') quickExit(e); });
  document.addEventListener('keydown', onKeyDown, true);
  document.addEventListener('keyup', onKeyUp, true);

  /* ---------- Session storage ---------- */

  function loadSession() {
    try {
      const saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || 'null');
      if (saved && typeof saved.conversation_id === 'string' && typeof saved.token === 'string') return saved;
    } catch (e) { /* blocked or corrupt: start fresh */ }
    return null;
  }

  function saveSession() {
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify({ conversation_id: state.id, token: state.token }));
    } catch (e) { /* the chat still works, it just will not survive a reload */ }
  }

  function forgetSession() {
    try { window.sessionStorage.removeItem(STORE_KEY); } catch (e) { /* ignore */ }
    state.id = null;
    state.token = null;
  }

  /* ---------- Network ---------- */

  // Resolves to {ok, status, data}; status 0 means the network failed or timed out.
  async function api(method, path, body) {
    const controller = new AbortController();
    state.controllers.push(controller);
    // A stalled mobile connection must end in a Retry, not an endless typing indicator.
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    try {
      const res = await fetch(path, {
        method, headers, cache: 'no-store', credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body), signal: controller.signal
      });
      let data = null;
      try { data = await res.json(); } catch (e) { /* not JSON, e.g. a proxy error page */ }
      return { ok: res.ok, status: res.status, data };
    } catch (e) {
      return { ok: false, status: 0, data: null };
    } finally {
      clearTimeout(timer);
      state.controllers = state.controllers.filter(c => c !== controller);
    }
  }

  function messagesPath(after) {
    return '/api/chat/conversations/' + encodeURIComponent(state.id) + '/messages' +
      (after === undefined ? '' : '?after=' + after);
  }

  // null means "worth retrying" (network, timeout, 5xx, rate limit without detail).
  function failureText(result) {
    const detail = result.data && typeof result.data.detail === 'string' ? result.data.detail.trim() : '';
    if (result.status === 413) return TEXT.tooLong;
    if (result.status === 408 || result.status === 429) return detail || null;
    if (result.status >= 400 && result.status < 500) return detail || TEXT.otherError;
    return null;
  }

  /* ---------- Rendering (textContent only: all message text is untrusted) ---------- */

  function appendText(parent, text) {
    parent.appendChild(document.createTextNode(text));
  }

  // Only http(s) URLs become links; everything else stays plain text.
  function appendWithLinks(parent, text) {
    const re = /https?:\/\/[^\s<>"']+/gi;
    let last = 0;
    let match;
    while ((match = re.exec(text)) !== null) {
      const url = match[0].replace(/[.,;:!?)\]]+$/, '');
      appendText(parent, text.slice(last, match.index));
      if (/^https?:\/\//i.test(url)) {
        const a = parent.appendChild(make('a', '', url));
        a.href = url;
        a.rel = 'noopener noreferrer';
      } else {
        appendText(parent, url);
      }
      last = match.index + url.length;
      re.lastIndex = last;
    }
    appendText(parent, text.slice(last));
  }

  function buildMessage(from, text, buttons, seq) {
    const who = WHO[from] || WHO.bot;
    const item = make('div', 'msg ' + who.cls);
    item.setAttribute('data-from', WHO[from] ? from : 'bot');
    if (typeof seq === 'number') item.setAttribute('data-seq', String(seq));
    item.appendChild(make('span', 'visually-hidden', who.prefix));
    if (who.label) {
      // Screen readers get the hidden prefix instead, so the label is not read twice.
      item.appendChild(make('p', 'msg__who', who.label)).setAttribute('aria-hidden', 'true');
    }
    const body = item.appendChild(make('p', 'msg__text'));
    if (from === 'parent') appendText(body, String(text || ''));
    else appendWithLinks(body, String(text || ''));

    const valid = (Array.isArray(buttons) ? buttons : [])
      .filter(b => b && typeof b.title === 'string' && typeof b.payload === 'string');
    if (valid.length) {
      const group = item.appendChild(make('div', 'msg__buttons'));
      valid.forEach(b => {
        const button = group.appendChild(make('button', 'msg__button', b.title));
        button.type = 'button';
        button.addEventListener('click', () => sendMessage({ payload: b.payload }, b.title));
      });
    }
    return item;
  }

  function isNearBottom() {
    const doc = document.documentElement;
    return window.innerHeight + window.pageYOffset >= doc.scrollHeight - 160;
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  function addToLog(node, before) {
    // Only follow new messages if the parent is not scrolled up reading older ones.
    const follow = isNearBottom();
    dom.log.insertBefore(node, before || null);
    if (follow && node.scrollIntoView) {
      node.scrollIntoView({ block: 'nearest', behavior: reducedMotion() ? 'auto' : 'smooth' });
    }
  }

  function showNotice(text, retry) {
    const notice = make('div', 'notice');
    notice.appendChild(make('p', '', text));
    if (retry) {
      const button = notice.appendChild(make('button', 'notice__button', 'Retry'));
      button.type = 'button';
      button.addEventListener('click', () => {
        if (state.busy) return;
        notice.remove();
        dom.input.focus(); // the button is gone, so keep focus somewhere useful
        retry();
      });
    }
    addToLog(notice);
  }

  function clearNotices() {
    dom.log.querySelectorAll('.notice').forEach(n => n.remove());
  }

  // Returns the buttons it disabled so a failed send can give them back.
  function disableOldButtons() {
    const buttons = Array.from(dom.log.querySelectorAll('.msg__button:not(:disabled)'));
    const hadFocus = buttons.indexOf(document.activeElement) !== -1;
    buttons.forEach(b => { b.disabled = true; });
    if (hadFocus) dom.input.focus(); // a disabled button would drop focus to <body>
    return buttons;
  }

  function updateStatus() {
    const text = state.personReplying ? TEXT.worker : '';
    if (dom.status.textContent !== text) dom.status.textContent = text;
  }

  function setBusy(on) {
    state.busy = on;
    dom.log.setAttribute('aria-busy', on ? 'true' : 'false');
    dom.typing.hidden = !on;
    dom.send.disabled = on || !state.id;
    if (on && isNearBottom()) dom.typing.scrollIntoView({ block: 'nearest' });
  }

  function renderReplies(replies) {
    (Array.isArray(replies) ? replies : []).forEach(r => {
      if (!r) return;
      const node = buildMessage('bot', r.text, r.buttons);
      addToLog(node);
      state.pending.push(node);
    });
  }

  /*
   * Why "pending": replies from a POST are shown straight away, but the POST answer has
   * no seq numbers. Those elements wait in state.pending until a GET returns them with
   * seqs. We match them in order by sender (not by text: a button press may be stored as
   * its payload), so nothing is drawn twice. A message we did not send (a hub worker's)
   * that arrives while some are still pending has a lower seq than them, so it goes in
   * before them, keeping the transcript in seq order.
   */
  function mergeMessages(list) {
    const sorted = (Array.isArray(list) ? list : [])
      .filter(m => m && typeof m.seq === 'number')
      .sort((a, b) => a.seq - b.seq);
    sorted.forEach(m => {
      if (m.seq <= state.lastSeq) return; // overlapping GETs can return the same message
      state.lastSeq = m.seq;
      const from = WHO[m.from] ? m.from : 'bot';
      const i = state.pending.findIndex(n => n.getAttribute('data-from') === from);
      if (i !== -1) {
        state.pending[i].setAttribute('data-seq', String(m.seq));
        // Pending ones before it were not stored by the server; they keep their place.
        state.pending.splice(0, i + 1);
        return;
      }
      if (from === 'parent') disableOldButtons();
      addToLog(buildMessage(from, m.text, m.buttons, m.seq), state.pending[0]);
    });
    updateStatus();
  }

  /* ---------- Polling ---------- */

  async function sync() {
    if (!state.id || state.exited) return;
    if (state.syncing) { state.resync = true; return; }
    state.syncing = true;
    const quietAtStart = !state.busy;
    const postsAtStart = state.postCount;
    const result = await api('GET', messagesPath(state.lastSeq));
    state.syncing = false;
    if (state.exited) return;
    if (result.ok) {
      state.personReplying = Boolean(result.data && result.data.person_replying);
      mergeMessages(result.data && result.data.messages);
      // This GET began after every POST had finished, so anything still unmatched will
      // never come back; stop waiting so later messages are simply appended.
      if (quietAtStart && !state.busy && state.postCount === postsAtStart) state.pending = [];
    } else if (result.status === 401 || result.status === 404) {
      stopPolling();
      forgetSession();
      dom.send.disabled = true;
      showNotice(TEXT.ended);
      return;
    } // other failures: stay quiet and try again on the next tick
    if (state.resync) { state.resync = false; await sync(); }
  }

  function schedulePoll() {
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
    if (!state.polling || state.exited || document.hidden) return;
    state.pollTimer = setTimeout(() => { sync().then(schedulePoll); }, POLL_MS);
  }

  function startPolling() { state.polling = true; schedulePoll(); }

  function stopPolling() {
    state.polling = false;
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
  }

  // No polling from a background tab: saves a cheap phone's battery and data.
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) { clearTimeout(state.pollTimer); return; }
    if (state.polling) sync().then(schedulePoll);
  });

  /* ---------- Sending ---------- */

  function restoreInput(text) {
    const current = dom.input.value.trim();
    dom.input.value = current && current !== text ? text + '\n' + current : text;
    updateCount();
  }

  async function sendMessage(message, shownText) {
    if (state.busy || state.exited || !state.id) return;
    clearNotices();
    showError('');
    const returned = disableOldButtons();
    const mine = buildMessage('parent', shownText);
    addToLog(mine);
    state.pending.push(mine);
    if (message.text !== undefined && dom.input.value.trim() === message.text) {
      dom.input.value = '';
      updateCount();
    }
    state.postCount += 1;
    setBusy(true);
    const result = await api('POST', messagesPath(), message);
    if (state.exited) return;
    if (result.ok) {
      renderReplies(result.data && result.data.replies);
      updateStatus();
      setBusy(false);
      sync();
      return;
    }
    // Take the unsent message back off the transcript and give the parent their words back.
    mine.remove();
    state.pending = state.pending.filter(n => n !== mine);
    const text = failureText(result);
    // Only a temporary failure gives the options back; a 4xx (e.g. "that option is not
    // available any more") would just fail again.
    if (!text) returned.forEach(b => { b.disabled = false; });
    if (message.text !== undefined) restoreInput(message.text);
    setBusy(false);
    showNotice(text || TEXT.sendFailed, text ? null : () => sendMessage(message, shownText));
  }

  function submitInput() {
    if (state.busy) return; // keep the text in the box until the last reply is in
    const text = dom.input.value.trim();
    if (!text) { dom.input.focus(); return; }
    if (charCount(text) > MAX_CHARS) { showError(TEXT.tooLong); dom.input.focus(); return; }
    if (document.activeElement === dom.send) dom.input.focus();
    sendMessage({ text }, text);
  }

  /* ---------- Message box ---------- */

  // Counts characters as people see them (emoji count once), like the server's limit.
  function charCount(text) { return Array.from(text).length; }

  function plural(n, word) { return n.toLocaleString('en-GB') + ' ' + word + (n === 1 ? '' : 's'); }

  function showError(text) {
    dom.error.textContent = text;
    dom.error.hidden = !text;
    if (text) dom.input.setAttribute('aria-invalid', 'true');
    else dom.input.removeAttribute('aria-invalid');
  }

  function updateCount() {
    const n = charCount(dom.input.value.trim());
    clearTimeout(state.countTimer);
    if (n <= MAX_CHARS && dom.error.textContent === TEXT.tooLong) showError('');
    if (n <= COUNT_FROM) {
      dom.count.hidden = true;
      dom.count.textContent = '';
      dom.countLive.textContent = '';
      return;
    }
    const left = MAX_CHARS - n;
    const text = left >= 0 ? 'You have ' + plural(left, 'character') + ' remaining'
      : 'You have ' + plural(-left, 'character') + ' too many';
    dom.count.textContent = text;
    dom.count.hidden = false;
    dom.count.classList.toggle('composer__count--over', left < 0);
    // Announce only once typing pauses, so screen readers are not flooded.
    state.countTimer = setTimeout(() => { dom.countLive.textContent = text; }, 1000);
  }

  dom.form.addEventListener('submit', e => { e.preventDefault(); submitInput(); });
  dom.input.addEventListener('input', updateCount);
  dom.input.addEventListener('keydown', e => {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
    e.preventDefault();
    submitInput();
  });

  /* ---------- Start-up ---------- */

  async function createConversation() {
    forgetSession();
    state.lastSeq = 0;
    state.pending = [];
    state.postCount += 1;
    setBusy(true);
    const result = await api('POST', '/api/chat/conversations', {});
    if (state.exited) return;
    const data = result.data || {};
    if (!result.ok || typeof data.conversation_id !== 'string' || typeof data.token !== 'string') {
      setBusy(false);
      showNotice(TEXT.startFailed, createConversation);
      return;
    }
    state.id = data.conversation_id;
    state.token = data.token;
    saveSession();
    renderReplies(data.replies);
    setBusy(false);
    startPolling();
  }

  // A reload continues the same conversation: rebuild it from the server.
  async function resumeConversation(saved) {
    state.id = saved.conversation_id;
    state.token = saved.token;
    setBusy(true);
    const result = await api('GET', messagesPath(0));
    if (state.exited) return;
    if (result.ok) {
      state.personReplying = Boolean(result.data && result.data.person_replying);
      mergeMessages(result.data && result.data.messages);
      setBusy(false);
      window.scrollTo(0, document.documentElement.scrollHeight);
      startPolling();
      return;
    }
    setBusy(false);
    if (result.status === 401 || result.status === 404) {
      createConversation();
      return;
    }
    showNotice(TEXT.loadFailed, () => resumeConversation(saved));
  }

  const saved = loadSession();
  if (saved) resumeConversation(saved);
  else createConversation();
})();
