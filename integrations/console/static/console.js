/* The practitioner console: the queue (danger, then level 4, then oldest first), one conversation with
   why it was triaged so, and what a practitioner does with it. Everything parents wrote is shown with
   textContent only (StaffPage.el), never as HTML. */
(function () {
  'use strict';

  const QUEUE_REFRESH_MS = 5000;
  const LEVEL_NAMES = { 1: 'Universal', 2: 'Early Help', 3: 'Multi-agency Early Help', 4: 'Statutory' };
  const WHO = { parent: 'Parent', bot: 'Assistant', practitioner: 'Practitioner' };
  const DELIVERY = {
    pending: 'waiting to be texted', queued: 'texted', held: 'held: waiting until the parent says it is safe to text',
    withheld: 'not sent: the parent said it is not safe to text', suppressed: 'not sent: the parent texted STOP',
  };
  const state = { user: null, selected: null, timer: null, filters: { status: 'open' }, hubs: {}, outcomes: [], view: 'queue', viewSeq: 0 };
  let el;

  function levelTag(level, danger) {
    const tags = [];
    if (danger) tags.push(el('span', { class: 'tag tag--danger' }, 'Danger'));
    if (level) tags.push(el('span', { class: 'tag tag--l' + level }, 'Level ' + level));
    else tags.push(el('span', { class: 'tag tag--l1', title: 'No Right Help Right Time concern matched' }, 'Level 1'));
    return tags;
  }

  function waited(seconds) {
    if (seconds === null || seconds === undefined) return '';
    if (seconds < 60) return 'under a minute';
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + ' min';
    const hours = Math.floor(minutes / 60);
    return hours + ' h ' + (minutes % 60) + ' min';
  }

  function when(iso) {
    return new Date(iso).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' });
  }

  function showError(where, error) {
    where.replaceChildren(el('p', { class: 'error', role: 'alert' }, error.detail || String(error)));
  }

  /* ---------- layout ---------- */

  function layout() {
    const app = document.getElementById('app');
    const tabs = el('div', { class: 'tabs' },
      el('button', { type: 'button', class: 'button button--secondary', id: 'tab-queue', 'aria-pressed': 'true', onclick: () => switchView('queue') }, 'Queue'));
    if (state.user.role === 'admin') {
      tabs.append(el('button', { type: 'button', class: 'button button--secondary', id: 'tab-audit', 'aria-pressed': 'false', onclick: () => switchView('audit') }, 'Audit log'));
    }
    app.replaceChildren(
      tabs,
      el('div', { class: 'console', id: 'console' },
        el('section', { class: 'panel', 'aria-labelledby': 'queue-title' },
          el('h2', { id: 'queue-title' }, 'Handed-off conversations'),
          el('ul', { class: 'counts', id: 'counts', 'aria-live': 'polite' }),
          filters(),
          el('div', { id: 'queue' })),
        el('section', { class: 'panel', id: 'conversation', 'aria-live': 'polite' },
          el('p', {}, 'Choose a conversation from the queue.'))),
      el('section', { class: 'panel', id: 'audit', hidden: true }));
  }

  function switchView(view) {
    state.view = view;
    document.getElementById('console').hidden = view !== 'queue';
    document.getElementById('audit').hidden = view !== 'audit';
    document.getElementById('tab-queue').setAttribute('aria-pressed', String(view === 'queue'));
    const auditTab = document.getElementById('tab-audit');
    if (auditTab) auditTab.setAttribute('aria-pressed', String(view === 'audit'));
    if (view === 'audit') loadAudit();
  }

  function select(id, label, options, key) {
    const control = el('select', { id: id, name: key, onchange: (event) => {
      if (event.target.value) state.filters[key] = event.target.value;
      else delete state.filters[key];
      loadQueue();
    } }, options.map(([value, title]) => el('option', { value: value, selected: (state.filters[key] || '') === value }, title)));
    return el('div', {}, el('label', { for: id }, label), control);
  }

  function filters() {
    const hubOptions = [['', 'All hubs']].concat(Object.entries(state.hubs));
    return el('div', { class: 'filters' },
      select('filter-status', 'Status', [['open', 'Waiting or taken'], ['queued', 'Waiting'], ['taken', 'Taken'], ['closed', 'Closed'], ['', 'All']], 'status'),
      select('filter-level', 'Level', [['', 'All levels'], ['4', 'Level 4'], ['3', 'Level 3'], ['2', 'Level 2'], ['1', 'Level 1']], 'level'),
      select('filter-channel', 'Channel', [['', 'Web and SMS'], ['webchat', 'Web chat'], ['sms', 'SMS']], 'channel'),
      select('filter-hub', 'Hub', hubOptions, 'hub'));
  }

  /* ---------- the queue ---------- */

  async function loadQueue() {
    clearTimeout(state.timer);
    const where = document.getElementById('queue');
    if (!where) return;
    const query = new URLSearchParams(state.filters).toString();
    try {
      const data = await StaffPage.api('GET', '/api/conversations' + (query ? '?' + query : ''));
      renderCounts(data.counts);
      renderQueue(where, data.conversations);
    } catch (error) {
      if (error.status === 401) return;
      showError(where, error);
    }
    // The queue keeps itself current: no reload needed.
    state.timer = setTimeout(loadQueue, QUEUE_REFRESH_MS);
  }

  function renderCounts(counts) {
    const items = [
      ['count-danger', counts.danger_queued, 'waiting in danger'],
      ['count-urgent', counts.urgent_queued, 'urgent waiting'],
      ['count-queued', counts.queued, 'waiting'],
      ['count-taken', counts.taken, 'taken'],
    ];
    document.getElementById('counts').replaceChildren(...items.map(([id, n, label]) =>
      el('li', { id: id }, el('strong', {}, String(n)), label)));
  }

  function typing() {
    return ['reply-text', 'note-text'].some((id) => {
      const box = document.getElementById(id);
      return box && (box.value.trim() || document.activeElement === box);
    });
  }

  function renderQueue(where, conversations) {
    // The open conversation is re-read only when something new was said in it, or a text of it is still
    // waiting to go (each read is audited).
    const open = conversations.find((c) => c.conversation_id === state.selected);
    if (open && (open.last_message_at !== state.selectedLast || state.selectedPending) && !typing()) openConversation(open.conversation_id);
    if (!conversations.length) {
      where.replaceChildren(el('p', { id: 'queue-empty' }, 'No conversations match.'));
      return;
    }
    const rows = conversations.map((c) => {
      const open = () => openConversation(c.conversation_id);
      return el('tr', { dataset: { id: c.conversation_id }, 'aria-selected': String(c.conversation_id === state.selected), onclick: open },
        el('td', {}, levelTag(c.rhrt_level, c.danger)),
        el('td', {}, el('button', { type: 'button', class: 'queue__open', onclick: (event) => { event.stopPropagation(); open(); } },
          c.channel === 'sms' ? 'SMS' : 'Web chat'),
          c.hub_id ? el('span', { class: 'meta' }, ' · ' + (state.hubs[c.hub_id] || c.hub_id)) : null),
        el('td', {}, c.handoff.status === 'taken' ? 'Taken by ' + c.assigned_to : (c.handoff.status === 'queued' ? 'Waiting ' + waited(c.waiting_seconds) : c.handoff.status)),
        el('td', {}, c.handoff_reason || ''));
    });
    where.replaceChildren(el('table', { class: 'queue' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Priority'), el('th', {}, 'Channel'), el('th', {}, 'Status'), el('th', {}, 'Why'))),
      el('tbody', {}, rows)));
  }

  /* ---------- one conversation ---------- */

  async function openConversation(id) {
    state.selected = id;
    document.querySelectorAll('.queue tr').forEach((row) => row.setAttribute('aria-selected', String(row.dataset.id === id)));
    const where = document.getElementById('conversation');
    const seq = ++state.viewSeq;
    try {
      const view = await StaffPage.api('GET', '/api/conversations/' + encodeURIComponent(id));
      if (seq === state.viewSeq) renderConversation(view);
    } catch (error) {
      if (seq === state.viewSeq) showError(where, error);
    }
  }

  async function act(path, body, feedback) {
    const id = state.selected;
    // Replies can overtake reads: a queue refresh's read of this conversation may still be on its way when the
    // practitioner sends a reply. Only the newest request's view is drawn, so a reply just sent never seems to vanish
    // (a read that set off during the change is followed by loadQueue's, which sees the newer message).
    const seq = ++state.viewSeq;
    try {
      const view = await StaffPage.api('POST', '/api/conversations/' + encodeURIComponent(id) + path, body);
      if (seq === state.viewSeq) renderConversation(view);
      loadQueue();
      return true;
    } catch (error) {
      showError(feedback, error);
      return false;
    }
  }

  function renderConversation(c) {
    const where = document.getElementById('conversation');
    state.selectedLast = c.last_message_at;
    state.selectedPending = c.messages.some((m) => m.delivery === 'pending');
    const mine = c.handoff.status === 'taken' && c.assigned_to === state.user.username;
    const feedback = el('div', { id: 'action-feedback' });
    // Wrapped in el() so that the optional parts (null) are left out rather than shown as "null".
    where.replaceChildren(el('div', {},
      el('h2', { id: 'conversation-title' }, levelTag(c.rhrt_level, c.danger), ' ',
        (c.channel === 'sms' ? 'SMS' : 'Web chat') + ' conversation started ' + when(c.started_at)),
      el('p', { id: 'conversation-status' }, statusWords(c)),
      smsWarning(c),
      el('h3', {}, 'Why it was triaged so'),
      c.concerns.length
        ? el('ul', { class: 'concerns', id: 'concerns' }, c.concerns.map((x) =>
          el('li', {}, el('strong', {}, 'Level ' + x.level + ' (' + LEVEL_NAMES[x.level] + ')'), ' · ' + x.domain + ': ' + x.descriptor)))
        : el('p', { id: 'concerns' }, 'No Right Help Right Time descriptor matched.'),
      earlyHelp(c.early_help_request),
      el('h3', {}, 'Transcript'),
      el('ol', { class: 'transcript', id: 'transcript' }, c.messages.map((m) =>
        el('li', { class: 'from-' + m.from, dataset: { seq: m.seq, from: m.from } },
          el('span', { class: 'who' }, WHO[m.from] || m.from), m.text,
          el('span', { class: 'meta' }, when(m.at) + (m.delivery && m.from !== 'parent' ? ' · ' + (DELIVERY[m.delivery] || m.delivery) : ''))))),
      feedback,
      actions(c, mine, feedback),
      notes(c, feedback)));
    const transcript = document.getElementById('transcript');
    transcript.scrollTop = transcript.scrollHeight;
  }

  function statusWords(c) {
    const parts = [];
    if (c.handoff.status === 'queued') parts.push('Waiting for a practitioner for ' + waited(c.waiting_seconds) + '.');
    if (c.handoff.status === 'taken') parts.push('Taken by ' + c.assigned_to + '. The assistant is silent until it is handed back.');
    if (c.handoff.status === 'closed') parts.push('Closed by ' + c.closed_by + ' (' + outcomeTitle(c.outcome) + ').');
    if (c.handoff.status === 'none') parts.push('The assistant is answering.');
    if (c.handoff_reason) parts.push('Reason: ' + c.handoff_reason + '.');
    return parts.join(' ');
  }

  function outcomeTitle(id) {
    const found = state.outcomes.find((o) => o.id === id);
    return found ? found.title : id;
  }

  function smsWarning(c) {
    if (!c.sms) return null;
    if (c.sms.opted_out) return el('p', { class: 'notice', id: 'sms-warning' }, 'This parent texted STOP: nothing you send will be texted until they text START.');
    if (c.sms.safe_to_text === false) return el('p', { class: 'notice', id: 'sms-warning' }, 'The parent said it is not safe to text this phone: your replies will not be sent. Answers to their own texts still go.');
    if (c.sms.safe_to_text === null && c.danger) return el('p', { class: 'notice', id: 'sms-warning' }, 'Your replies wait until the parent says it is safe to text this phone.');
    return null;
  }

  function earlyHelp(request) {
    if (!request) return null;
    const words = request.status === 'sent' ? 'sent, reference ' + request.reference
      : request.status === 'failed-permanently' ? 'could not be sent: ' + (request.reason || 'refused') + '. Please follow up.'
        : 'waiting to be sent to the case system';
    return el('div', {}, el('h3', {}, 'Request for early help'), el('p', { id: 'early-help' }, 'Made ' + when(request.created_at) + ', ' + words + '.'));
  }

  function actions(c, mine, feedback) {
    const box = el('div', {}, el('h3', {}, 'Actions'));
    if (c.handoff.status !== 'taken') {
      box.append(el('button', { type: 'button', class: 'button', id: 'take', onclick: () => act('/take', undefined, feedback) }, 'Take this conversation'));
    }
    if (c.handoff.status !== 'taken' || mine || state.user.role === 'admin') {
      const text = el('textarea', { id: 'reply-text', name: 'text', maxlength: 1600, 'aria-describedby': 'reply-hint' });
      const form = el('form', { id: 'reply-form' },
        el('label', { for: 'reply-text' }, 'Reply to the parent' + (c.channel === 'sms' ? ' by text message' : ' in their chat')),
        el('p', { id: 'reply-hint', class: 'meta' }, c.handoff.status === 'taken' ? '' : 'Replying takes the conversation: the assistant goes quiet.'),
        text,
        el('button', { type: 'submit', class: 'button', id: 'reply-send' }, 'Send reply'));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (!text.value.trim()) { showError(feedback, { detail: 'Type a reply before sending.' }); return; }
        await act('/messages', { text: text.value }, feedback);
      });
      box.append(form);
    }
    const row = el('div', { class: 'actions' });
    if (mine || (c.handoff.status === 'taken' && state.user.role === 'admin')) {
      row.append(el('button', { type: 'button', class: 'button button--secondary', id: 'hand-back', onclick: () => act('/hand-back', undefined, feedback) }, 'Hand back to the assistant'));
    }
    if (c.handoff.status !== 'closed') {
      const outcome = el('select', { id: 'close-outcome', name: 'outcome' },
        el('option', { value: '' }, 'Choose an outcome'), state.outcomes.map((o) => el('option', { value: o.id }, o.title)));
      row.append(el('div', {}, el('label', { for: 'close-outcome' }, 'Outcome'), outcome),
        el('button', { type: 'button', class: 'button button--warning', id: 'close', onclick: () => {
          if (!outcome.value) { showError(feedback, { detail: 'Choose an outcome before closing.' }); return; }
          act('/close', { outcome: outcome.value }, feedback);
        } }, 'Close'));
    }
    box.append(row);
    return box;
  }

  function notes(c, feedback) {
    const text = el('textarea', { id: 'note-text', name: 'text', maxlength: 5000 });
    const form = el('form', { id: 'note-form' },
      el('label', { for: 'note-text' }, 'Add a note for other practitioners (the parent never sees notes)'), text,
      el('button', { type: 'submit', class: 'button button--secondary', id: 'note-save' }, 'Save note'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!text.value.trim()) { showError(feedback, { detail: 'Type a note before saving.' }); return; }
      await act('/notes', { text: text.value }, feedback);
    });
    return el('div', {}, el('h3', {}, 'Notes'),
      c.notes.length ? el('ul', { class: 'notes', id: 'notes' }, c.notes.map((n) =>
        el('li', {}, el('strong', {}, n.author), ' (' + when(n.at) + '): ', n.text))) : el('p', { id: 'notes' }, 'No notes yet.'),
      form);
  }

  /* ---------- audit (admins) ---------- */

  async function loadAudit() {
    const where = document.getElementById('audit');
    try {
      const data = await StaffPage.api('GET', '/api/audit?limit=200');
      where.replaceChildren(el('h2', {}, 'Audit log (newest first)'), el('table', { id: 'audit-table' },
        el('thead', {}, el('tr', {}, ['When', 'Who', 'What', 'Conversation', 'Detail'].map((h) => el('th', {}, h)))),
        el('tbody', {}, data.entries.map((e) => el('tr', {},
          el('td', {}, when(e.at)), el('td', {}, e.actor), el('td', {}, e.action),
          el('td', {}, e.conversation_id || ''), el('td', {}, JSON.stringify(e.detail)))))));
    } catch (error) {
      showError(where, error);
    }
  }

  /* ---------- start ---------- */

  async function ready(user) {
    el = StaffPage.el;
    state.user = user;
    try {
      const [hubs, outcomes] = await Promise.all([StaffPage.api('GET', '/api/console/hubs'), StaffPage.api('GET', '/api/outcomes')]);
      state.hubs = Object.fromEntries(hubs.hubs.map((h) => [h.id, h.name]));
      state.outcomes = outcomes.outcomes;
    } catch (error) {
      /* The queue still works without hub names and outcome titles. */
    }
    layout();
    loadQueue();
  }

  document.addEventListener('DOMContentLoaded', () => {
    StaffPage.start({ roles: ['practitioner', 'admin'], onReady: ready, onSignOut: () => clearTimeout(state.timer) });
  });
}());
