/* Shared by the staff pages (/console, /content): sign-in, the signed-in bar, JSON calls with the
   CSRF token, and a DOM builder that only ever sets textContent (parents' words are untrusted). */
(function () {
  'use strict';

  const state = { user: null, options: null };

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
      this.detail = detail;
    }
  }

  /* el('p', {class: 'x', dataset: {id: 1}, onclick: fn}, 'text', child) - never innerHTML. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, '');
      else node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function request(method, path, body, isForm) {
    const headers = { Accept: 'application/json' };
    if (state.user && method !== 'GET') headers['X-CSRF-Token'] = state.user.csrf_token;
    let payload;
    if (isForm) payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
    } catch (error) {
      throw new ApiError(0, 'The front door cannot be reached. Check the connection and try again.');
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (error) { data = null; }
    if (!response.ok) {
      const detail = data && typeof data.detail === 'string' ? data.detail : 'Something went wrong (' + response.status + ').';
      throw new ApiError(response.status, detail);
    }
    return data;
  }

  async function api(method, path, body) {
    try {
      return await request(method, path, body, false);
    } catch (error) {
      if (error.status === 401 && state.options) {
        state.user = null;
        showSignIn('Your session has ended. Please sign in again.');
      }
      throw error;
    }
  }

  function bar() {
    const header = document.getElementById('staff-bar');
    header.replaceChildren();
    if (!state.user) return;
    header.append(
      el('span', { class: 'staff-bar__who' }, 'Signed in as ', el('strong', {}, state.user.username), ' (' + state.user.role + ')'),
      el('button', { type: 'button', class: 'button button--secondary', id: 'sign-out', onclick: signOut }, 'Sign out'),
    );
  }

  function showSignIn(message) {
    const app = document.getElementById('app');
    if (app) app.hidden = true;
    bar();
    const section = document.getElementById('signin');
    const error = el('p', { class: 'error', role: 'alert', id: 'signin-error' }, message || '');
    error.hidden = !message;
    const form = el('form', { class: 'signin', novalidate: true },
      el('h2', {}, 'Sign in'),
      el('label', { for: 'signin-username' }, 'Username'),
      el('input', { id: 'signin-username', name: 'username', autocomplete: 'username', required: true, maxlength: 80 }),
      el('label', { for: 'signin-password' }, 'Password'),
      el('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
      error,
      el('button', { type: 'submit', class: 'button', id: 'signin-submit' }, 'Sign in'),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      if (!data.get('username') || !data.get('password')) {
        error.textContent = 'Enter your username and password.';
        error.hidden = false;
        return;
      }
      try {
        state.user = await request('POST', '/api/auth/session', new URLSearchParams(data), true);
      } catch (failure) {
        error.textContent = failure.detail;
        error.hidden = false;
        form.elements.password.value = '';
        return;
      }
      ready();
    });
    section.replaceChildren(form);
    section.hidden = false;
    form.elements.username.focus();
  }

  function ready() {
    const section = document.getElementById('signin');
    section.hidden = true;
    section.replaceChildren();
    bar();
    const app = document.getElementById('app');
    if (!state.options.roles.includes(state.user.role)) {
      app.replaceChildren(el('p', { class: 'error', role: 'alert' },
        'Your role (' + state.user.role + ') cannot use this page. Ask an admin if you need access.'));
      app.hidden = false;
      return;
    }
    app.hidden = false;
    state.options.onReady(state.user);
  }

  async function signOut() {
    try {
      await request('DELETE', '/api/auth/session', undefined, false);
    } catch (error) {
      /* Signed out already, or the service is down: the page forgets the session either way. */
    }
    state.user = null;
    if (state.options.onSignOut) state.options.onSignOut();
    document.getElementById('app').replaceChildren();
    showSignIn('You have signed out.');
  }

  async function start(options) {
    state.options = options;
    try {
      state.user = await request('GET', '/api/auth/session', undefined, false);
    } catch (error) {
      showSignIn(error.status === 401 ? '' : error.detail);
      return;
    }
    ready();
  }

  window.StaffPage = { start, api, el, ApiError, user: () => state.user };
}());
