// The REST API (docs/api.md) and the token every request carries; nothing is fetched from anywhere else.

const TOKEN_KEY = 'caravan.token';

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function token() {
  return (localStorage.getItem(TOKEN_KEY) || '').trim();
}

export function keepToken(value) {
  localStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  localStorage.removeItem(TOKEN_KEY);
}

// Set by the page: what to ask the person is the page's business, not the transport's.
let refused = () => {};

/** fn(sent) is called when the server refuses the token sent (the empty string when there was none). */
export function onTokenRefused(fn) {
  refused = fn;
}

/** Every request carries the token, reads too; a 401 asks the person for the token again. */
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const sent = token();
  if (sent) headers.Authorization = `Bearer ${sent}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method, headers, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, `cannot reach the Caravan server (${e.message})`);
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (res.status === 401) {
    // An answer to a token replaced since it was sent says nothing about the new one.
    if (sent === token()) refused(sent);
    throw new ApiError(401, 'the server needs its API token (401)');
  }
  if (!res.ok) throw new ApiError(res.status, (data && data.error) || `${res.status} ${res.statusText}`);
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);

export const enc = encodeURIComponent;
