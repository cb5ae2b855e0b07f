/** The API client of the page: bearer token on every request, errors as `ApiError` with the server's message. */

/** A refused request: the HTTP status, the API's error code and a message fit to show. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {{ path: string, message: string }[]} [issues]
   */
  constructor(status, code, message, issues = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

/** `path?k=v` for the defined, non-empty values of `query`. */
export function withQuery(path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The message to show for a failed response: the API's own (written for users), with field issues. */
async function errorOf(response) {
  const body = await response.json().catch(() => null);
  const error = body?.error;
  if (!error) return new ApiError(response.status, "HTTP_ERROR", `The server answered ${response.status}`);
  const issues = Array.isArray(error.issues) ? error.issues : [];
  const detail = issues.map((issue) => `${issue.path || "request"} ${issue.message}`).join("; ");
  let message = detail ? `${error.message}: ${detail}` : error.message;
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter) message += ` Try again in ${retryAfter} s.`;
  return new ApiError(response.status, error.code, message, issues);
}

/**
 * @param {string} token
 * @param {{ onUnauthorized?: () => void, fetch?: typeof fetch }} [options]
 */
export function createApi(token, options = {}) {
  const fetchFn = options.fetch ?? ((...args) => fetch(...args));

  async function send(method, path, body) {
    const headers = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetchFn(path, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (response.status === 401) {
      options.onUnauthorized?.();
      throw new ApiError(401, "UNAUTHORIZED", "The token was not accepted: sign in again.");
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  const json = async (method, path, body) => {
    const response = await send(method, path, body);
    return response.status === 204 ? null : response.json();
  };

  return {
    get: (path, query) => json("GET", withQuery(path, query)),
    post: (path, body) => json("POST", path, body),
    patch: (path, body) => json("PATCH", path, body),
    delete: (path) => json("DELETE", path),
    /**
     * The signed, expiring link to a call's recording: the API answers a redirect to it, which an
     * `<audio>` element cannot follow with a bearer token, so the page follows it and keeps the URL.
     * @param {string} callId
     */
    async recordingLink(callId) {
      const response = await send("GET", `/api/calls/${encodeURIComponent(callId)}/recording`);
      await response.body?.cancel(); // only the final URL is needed; the player streams the audio itself
      return response.url;
    },
  };
}
